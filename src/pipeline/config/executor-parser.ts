// The top-level `executor:` section → ExecutorConfig: which executor runs the jobs when the command
// line does not say, and the Slurm defaults (resources every stage inherits, jobs in flight, poll
// interval). Problems are recorded with their positions like every other part of the file.
import type { ExecutorConfig } from '../plan-types.ts';
import { didYouMean } from './did-you-mean.ts';
import { checkKeys, readMap, readParamValue, readString, report, type MapEntry, type ReadContext } from './node-readers.ts';
import { EXECUTOR_KEYS, EXECUTOR_NAMES, SLURM_SETTING_KEYS } from './pipeline-file-types.ts';
import { SLURM_RESOURCE_KEYS, slurmResourceProblem } from './slurm-resources.ts';

const SLURM_DEFAULT_KEYS: readonly string[] = [...SLURM_RESOURCE_KEYS.filter((k) => k !== 'cpus'), ...SLURM_SETTING_KEYS];

export function readExecutor(ctx: ReadContext, field: MapEntry | undefined): ExecutorConfig {
  const config: ExecutorConfig = { name: 'local', slurm: { resources: {} } };
  if (!field) return config;
  const entries = new Map(checkKeys(ctx, readMap(ctx, field.value, 'executor', field.keyNode) ?? [], EXECUTOR_KEYS, 'executor', 'executor').map((e) => [e.key, e]));
  const name = entries.get('name');
  if (name) {
    const value = readString(ctx, name.value, 'executor.name', name.keyNode);
    if (value !== undefined && !(EXECUTOR_NAMES as readonly string[]).includes(value)) {
      report(ctx, name.value, `unknown executor '${value}'; executors: ${EXECUTOR_NAMES.join(', ')}`, { key: 'executor.name', hint: didYouMean(value, EXECUTOR_NAMES) });
    } else if (value !== undefined) config.name = value as ExecutorConfig['name'];
  }
  const slurm = entries.get('slurm');
  if (slurm && slurm.value !== null && slurm.value !== undefined) {
    for (const entry of readMap(ctx, slurm.value, 'executor.slurm', slurm.keyNode) ?? []) {
      const key = `executor.slurm.${entry.key}`;
      if (entry.key === 'cpus') {
        report(ctx, entry.keyNode, 'cpus is set per stage (resources: { cpus: N }, default 1), not as an executor default', { key });
        continue;
      }
      if (!SLURM_DEFAULT_KEYS.includes(entry.key)) {
        report(ctx, entry.keyNode, `unknown Slurm setting '${entry.key}'; expected one of: ${SLURM_DEFAULT_KEYS.join(', ')}`, { key, hint: didYouMean(entry.key, SLURM_DEFAULT_KEYS) });
        continue;
      }
      const value = readParamValue(ctx, entry.value, key);
      if (value === undefined) continue;
      if (entry.key === 'jobs') {
        if (typeof value === 'number' && Number.isInteger(value) && value >= 1) config.slurm.jobs = value;
        else report(ctx, entry.value ?? entry.keyNode, `expected a positive integer (jobs in flight when -j is not given), found ${JSON.stringify(value)}`, { key });
      } else if (entry.key === 'poll_interval') {
        if (typeof value === 'number' && value > 0) config.slurm.pollInterval = value;
        else report(ctx, entry.value ?? entry.keyNode, `expected seconds (> 0), found ${JSON.stringify(value)}`, { key });
      } else {
        const problem = slurmResourceProblem(entry.key, value);
        if (problem) report(ctx, entry.value ?? entry.keyNode, problem, { key });
        else config.slurm.resources[entry.key] = value;
      }
    }
  }
  return config;
}
