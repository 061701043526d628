// Which instances a run covers: the targets (a stage name = all its instances, or one instance id)
// plus everything upstream of them; no targets = the whole plan. Order stays the plan's.
import { PipelineConfigError } from '../errors.ts';
import type { Plan, StageInstance } from '../plan-types.ts';
import { closestName } from '../config/did-you-mean.ts';

export function resolveTargets(plan: Plan, targets: readonly string[]): StageInstance[] {
  const picked = new Set<string>();
  for (const t of targets) {
    const matches = instancesNamed(plan, t);
    if (matches.length === 0) {
      const names = [...new Set(plan.instances.flatMap((i) => [i.stage, i.id]))];
      const guess = closestName(t, names);
      throw new PipelineConfigError(`unknown target '${t}': no stage or instance has that name`, {
        key: 'targets',
        hint: guess ? `did you mean '${guess}'?` : `stages: ${[...new Set(plan.instances.map((i) => i.stage))].join(', ')}`,
      });
    }
    for (const m of matches) picked.add(m.id);
  }
  return picked.size === 0 ? [] : plan.instances.filter((i) => picked.has(i.id));
}

export function instancesNamed(plan: Plan, name: string): StageInstance[] {
  const exact = plan.byId.get(name);
  if (exact) return [exact];
  return plan.instances.filter((i) => i.stage === name);
}

export function selectInstances(plan: Plan, targets: readonly string[]): StageInstance[] {
  if (targets.length === 0) return plan.instances;
  const want = new Set<string>();
  const stack = resolveTargets(plan, targets).map((i) => i.id);
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (want.has(id)) continue;
    want.add(id);
    stack.push(...plan.byId.get(id)!.deps);
  }
  return plan.instances.filter((i) => want.has(i.id));
}

/** Instances downstream of `id` (transitively) within `pool`. */
export function dependentsOf(id: string, pool: readonly StageInstance[]): string[] {
  const out: string[] = [];
  const bad = new Set([id]);
  for (const inst of pool) {
    if (inst.deps.some((d) => bad.has(d))) {
      bad.add(inst.id);
      out.push(inst.id);
    }
  }
  return out;
}
