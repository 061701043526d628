// Shared by the commands: the project root and the Plan for the chosen profile and overrides.
import { resolve } from 'node:path';
import { loadPlan, parseSetArgs } from '../plan.ts';
import type { Plan } from '../plan-types.ts';
import type { CliArgs } from './args.ts';

export function projectRoot(args: CliArgs): string {
  return resolve(args.dir ?? process.cwd());
}

export function planFor(args: CliArgs): Plan {
  return loadPlan({ root: projectRoot(args), file: args.file, profile: args.profile, overrides: parseSetArgs(args.set) });
}
