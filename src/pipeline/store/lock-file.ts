// pipeline.lock: readable, diffable YAML (like dvc.lock) holding, per profile and instance, the
// fingerprint (value and details, so `why` can explain a miss), the published outs and how long
// the instance took. One file keeps every profile, so running `smoke` never invalidates `quick`.
// Parsing YAML costs more than a no-op run can afford, so a JSON mirror keyed by the lock's stat
// signature sits in .pipeline/ and is used while pipeline.lock is untouched.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../io/atomic.ts';
import { statSignature } from '../fingerprint/stat-signature.ts';
import { StoreError } from '../errors.ts';
import type { FingerprintDetails } from '../fingerprint/fingerprint.ts';
import type { OutManifest } from './out-manifest.ts';

export const LOCK_SCHEMA = 1;

export interface LockRecord {
  fingerprint: string;
  status: 'ok' | 'skipped';
  /** Why the stage skipped itself (status: skipped). */
  reason?: string;
  /** Store entry id (hash of the out manifest); absent when skipped. */
  entry?: string;
  outs: OutManifest;
  duration_s: number;
  details: FingerprintDetails;
}

export interface LockFile {
  schema: number;
  profiles: Record<string, Record<string, LockRecord>>;
}

export function emptyLock(): LockFile {
  return { schema: LOCK_SCHEMA, profiles: {} };
}

function mirrorPath(stateDir: string): string {
  return join(stateDir, 'lock-mirror.json');
}


// The YAML library is loaded only when the lock must be parsed or written: a no-op run reads the
// JSON mirror and never pays for it.
let yamlModule: typeof import('yaml') | undefined;
async function yaml(): Promise<typeof import('yaml')> {
  // Bundled, the CommonJS build of `yaml` may arrive as a namespace holding only `default`.
  const ns = (await import('yaml')) as typeof import('yaml') & { default?: typeof import('yaml') };
  return (yamlModule ??= typeof ns.parse === 'function' ? ns : ns.default!);
}

export async function readLock(lockPath: string, stateDir: string): Promise<LockFile> {
  const sig = statSignature(lockPath);
  if (sig === null) return emptyLock();
  try {
    const mirror = JSON.parse(readFileSync(mirrorPath(stateDir), 'utf8')) as { sig: string; lock: LockFile };
    if (mirror.sig === sig) return mirror.lock;
  } catch {
    // no mirror: parse the YAML
  }
  let parsed: unknown;
  try {
    parsed = (await yaml()).parse(readFileSync(lockPath, 'utf8'));
  } catch (err) {
    throw new StoreError(`cannot parse ${lockPath}: ${(err as Error).message}`, {
      file: lockPath,
      hint: 'delete it to rebuild every stage, or restore it from version control',
      cause: err,
    });
  }
  const lock = parsed as Partial<LockFile> | null;
  // A lock from another schema is not trusted field by field: start over (every instance reruns once).
  if (!lock || lock.schema !== LOCK_SCHEMA || typeof lock.profiles !== 'object' || lock.profiles === null) return emptyLock();
  const result: LockFile = { schema: LOCK_SCHEMA, profiles: lock.profiles };
  writeMirror(stateDir, sig, result);
  return result;
}

export async function writeLock(lockPath: string, stateDir: string, lock: LockFile): Promise<void> {
  const { stringify } = await yaml();
  const sorted: LockFile = {
    schema: LOCK_SCHEMA,
    profiles: Object.fromEntries(
      Object.keys(lock.profiles)
        .sort()
        .map((p) => [p, Object.fromEntries(Object.keys(lock.profiles[p]).sort().map((id) => [id, lock.profiles[p][id]]))]),
    ),
  };
  const text =
    '# Written by the pipeline engine after each stage instance: fingerprints and output hashes.\n' +
    '# Commit it to review what changed; do not edit by hand.\n' +
    stringify(sorted, { lineWidth: 0, aliasDuplicateObjects: false });
  writeFileAtomic(lockPath, text);
  const sig = statSignature(lockPath);
  if (sig) writeMirror(stateDir, sig, sorted);
}

function writeMirror(stateDir: string, sig: string, lock: LockFile): void {
  try {
    writeFileAtomic(mirrorPath(stateDir), JSON.stringify({ sig, lock }));
  } catch {
    // The mirror is only a speed-up.
  }
}
