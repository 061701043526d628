// The manifest of one published instance: out name → where, what content, how big. The store
// entry is addressed by the hash of this manifest, so identical outputs share one entry.
import { hashCanonical } from '../fingerprint/canonical-json.ts';

export interface OutRecord {
  path: string;
  sha256: string;
  size: number;
}

export type OutManifest = Record<string, OutRecord>;

export function manifestHash(outs: OutManifest): string {
  return hashCanonical(outs);
}

/** Out name → sha256, the part of a manifest a dependent's fingerprint depends on. */
export function outHashes(outs: OutManifest): Record<string, string> {
  return Object.fromEntries(Object.entries(outs).map(([name, o]) => [name, o.sha256]));
}
