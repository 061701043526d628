// The stage-level dependency graph: cycles (reported with the path) and a deterministic
// topological order that prefers declaration order among ready stages.
import type { SourcePos } from '../plan-types.ts';

export interface GraphStage {
  name: string;
  deps: { stage: string; pos: SourcePos }[];
}

export interface Cycle {
  /** Stage names along the cycle, first repeated at the end: [a, b, c, a]. */
  path: string[];
  /** Position of the dep that closes the cycle (in the last stage before the repeat). */
  pos: SourcePos;
  stage: string;
}

/** Every elementary cycle found by one DFS (one per back edge), in declaration order. */
export function findCycles(stages: readonly GraphStage[]): Cycle[] {
  const byName = new Map(stages.map((s) => [s.name, s]));
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const cycles: Cycle[] = [];

  const visit = (name: string): void => {
    state.set(name, 'active');
    stack.push(name);
    for (const dep of byName.get(name)?.deps ?? []) {
      if (!byName.has(dep.stage)) continue; // reported elsewhere as an unknown stage
      const seen = state.get(dep.stage);
      if (seen === 'active') {
        cycles.push({ path: [...stack.slice(stack.indexOf(dep.stage)), dep.stage], pos: dep.pos, stage: name });
      } else if (seen === undefined) {
        visit(dep.stage);
      }
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const stage of stages) if (!state.has(stage.name)) visit(stage.name);
  return cycles;
}

/** Kahn's algorithm, taking the earliest-declared ready stage each time. Assumes no cycle. */
export function topologicalStageOrder(stages: readonly GraphStage[]): string[] {
  const index = new Map(stages.map((s, i) => [s.name, i]));
  const pending = new Map(stages.map((s) => [s.name, new Set(s.deps.map((d) => d.stage).filter((d) => index.has(d)))]));
  const order: string[] = [];
  while (pending.size > 0) {
    let next: string | undefined;
    for (const [name, deps] of pending) {
      if (deps.size === 0 && (next === undefined || index.get(name)! < index.get(next)!)) next = name;
    }
    if (next === undefined) throw new Error(`topologicalStageOrder: cycle among ${[...pending.keys()].join(', ')}`);
    pending.delete(next);
    order.push(next);
    for (const deps of pending.values()) deps.delete(next);
  }
  return order;
}
