// The one place that says what a stage instance's fingerprint covers. Pure: the caller gathers
// the facts (code hashes, package versions, upstream out hashes) and this turns them into
// `{ value, details }` — details are stored in pipeline.lock so a later miss can be explained
// field by field (see run/reason.ts). Never mtimes, never absolute paths, never timestamps.
import type { ParamValue } from '../stage.ts';
import { hashCanonical } from './canonical-json.ts';

/** Bump when the meaning of a fingerprint or of a stored entry changes: every instance reruns once. */
export const ENGINE_FORMAT_VERSION = 1;

/** What a dependent sees of one upstream instance: its out hashes, or that it skipped itself. */
export type InputFacts = { outs: Record<string, string> } | { skipped: string };

export interface FingerprintDetails {
  engine: number;
  /** `module` for `run:` stages, `cmd` for shell commands (then `cmd` holds the template). */
  kind: 'module' | 'cmd';
  cmd?: string;
  /** Local source files (root-relative) → sha256: the stage module and its transitive imports, or `code:` files. */
  code: Record<string, string>;
  /** npm package → installed version, for the packages those files import. */
  packages: Record<string, string>;
  /** Declared params (dotted names) and matrix values, resolved for the profile. */
  params: Record<string, ParamValue>;
  /** The seed handed to the stage (derived from the profile seed and the instance id). */
  seed: number;
  /** Upstream instance id → its out hashes (out name → sha256), so early cutoff works. */
  inputs: Record<string, InputFacts>;
  /** Declared outs (name → relative path): renaming an out reruns the stage. */
  outs: Record<string, string>;
}

export interface Fingerprint {
  value: string;
  details: FingerprintDetails;
}

export function fingerprintOf(details: FingerprintDetails): Fingerprint {
  return { value: hashCanonical(details), details };
}
