// Shared by the commands: the project root and the Plan for the chosen profile and overrides.
// Loading a plan means parsing and validating pipeline.yaml (~30 ms of YAML work); a no-op run
// cannot afford that, so the resolved Plan is cached as JSON, keyed by the file, profile and
// overrides, and valid while pipeline.yaml and the engine itself keep their stat signatures.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../../io/atomic.ts';
import { statSignature } from '../fingerprint/stat-signature.ts';
import type { Plan } from '../plan-types.ts';
import type { CliArgs } from './args.ts';

const PLAN_CACHE_FORMAT = 1;

export function projectRoot(args: CliArgs): string {
  return resolve(args.dir ?? process.cwd());
}


export async function planFor(args: CliArgs): Promise<Plan> {
  const root = projectRoot(args);
  const file = resolve(root, args.file ?? 'pipeline.yaml');
  const key = createHash('sha256').update(JSON.stringify([PLAN_CACHE_FORMAT, file, args.profile ?? null, args.set])).digest('hex').slice(0, 24);
  const cachePath = join(root, '.pipeline', 'plan-cache', `${key}.json`);
  // The engine's own code decides what a plan looks like: a rebuilt engine invalidates the cache.
  const engineSig = statSignature(fileURLToPath(import.meta.url));
  const fileSig = statSignature(file);
  try {
    const cached = JSON.parse(readFileSync(cachePath, 'utf8')) as { fileSig: string; engineSig: string; plan: Omit<Plan, 'byId'> };
    if (cached.fileSig === fileSig && cached.engineSig === engineSig && fileSig !== null) {
      return { ...cached.plan, byId: new Map(cached.plan.instances.map((i) => [i.id, i])) };
    }
  } catch {
    // no cache: load for real
  }
  const { loadPlan, parseSetArgs } = await import('../plan.ts');
  const plan = loadPlan({ root, file: args.file, profile: args.profile, overrides: parseSetArgs(args.set) });
  if (fileSig !== null && statSignature(file) === fileSig) {
    const { byId: _byId, ...rest } = plan;
    try {
      writeFileAtomic(cachePath, JSON.stringify({ fileSig, engineSig, plan: rest }));
    } catch {
      // only a speed-up
    }
  }
  return plan;
}
