// Views of a Plan for people: a layered text listing (matrix stages folded into one line unless
// expanded) and a stage-level mermaid graph. Pure functions of the plan.
import { relative } from 'node:path';
import type { DepSpec, Plan, StageSpec } from './plan-types.ts';
import { renderMatrixValue } from './config/matrix.ts';

export interface DagTextOptions {
  /** List every instance with its deps: `true` for all stages, or the names of the stages to unfold. */
  expand?: boolean | readonly string[];
}

interface StageView {
  spec: StageSpec;
  instances: Plan['instances'];
  layer: number;
}

export function renderDagText(plan: Plan, opts: DagTextOptions = {}): string {
  const stages = stageViews(plan);
  const lines = [`${relative(plan.root, plan.file)} (profile ${plan.profile}): ${plural(stages.size, 'stage')}, ${plural(plan.instances.length, 'instance')}`];
  const layers = Math.max(-1, ...[...stages.values()].map((s) => s.layer)) + 1;
  for (let layer = 0; layer < layers; layer++) {
    lines.push(`layer ${layer}`);
    for (const view of stages.values()) {
      if (view.layer !== layer) continue;
      const deps = view.spec.deps.map((d) => depLabel(d, view.spec, stages)).join(', ');
      lines.push(`  ${stageLabel(view)}${deps ? `  <- ${deps}` : ''}`);
      const unfold = opts.expand === true || (Array.isArray(opts.expand) && opts.expand.includes(view.spec.name));
      if (unfold && view.spec.matrix.length > 0) {
        for (const inst of view.instances) lines.push(`    ${inst.id}${inst.deps.length ? `  <- ${inst.deps.join(', ')}` : ''}`);
      }
    }
  }
  return lines.join('\n') + '\n';
}

export function renderDagMermaid(plan: Plan): string {
  const stages = stageViews(plan);
  const ids = new Map([...stages.keys()].map((name, i) => [name, `s${i}`]));
  const lines = ['graph TD'];
  for (const view of stages.values()) {
    const axes = view.spec.matrix.map((a) => a.key).join(' × ');
    const label = view.spec.matrix.length > 0 ? `${view.spec.name} ×${view.instances.length}<br/>${axes}` : view.spec.name;
    lines.push(`  ${ids.get(view.spec.name)}["${escapeMermaid(label)}"]`);
  }
  for (const view of stages.values()) {
    for (const dep of view.spec.deps) {
      const from = ids.get(dep.stage);
      if (from === undefined) continue;
      const note = edgeNote(dep, view.spec, stages);
      lines.push(`  ${from} -->${note ? `|"${escapeMermaid(note)}"|` : ''} ${ids.get(view.spec.name)}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** Stages in plan order, each with its instances and its layer (longest path from a source). */
function stageViews(plan: Plan): Map<string, StageView> {
  const views = new Map<string, StageView>();
  for (const inst of plan.instances) {
    let view = views.get(inst.stage);
    if (!view) {
      const layer = Math.max(-1, ...inst.spec.deps.map((d) => views.get(d.stage)?.layer ?? -1)) + 1;
      view = { spec: inst.spec, instances: [], layer };
      views.set(inst.stage, view);
    }
    view.instances.push(inst);
  }
  return views;
}

function stageLabel(view: StageView): string {
  if (view.spec.matrix.length === 0) return view.spec.name;
  const axes = view.spec.matrix.map((a) => `${a.key}(${a.values.length})`).join(' × ');
  return `${view.spec.name}[${view.instances.length} instances: ${axes}]`;
}

function depLabel(dep: DepSpec, downstream: StageSpec, stages: Map<string, StageView>): string {
  const note = edgeNote(dep, downstream, stages);
  return note ? `${dep.stage} (${note})` : dep.stage;
}

/** How a dep selects upstream instances: its filter, and the matrix keys both stages share. */
function edgeNote(dep: DepSpec, downstream: StageSpec, stages: Map<string, StageView>): string {
  const parts = Object.entries(dep.filter).map(([k, v]) => `${k}=${renderMatrixValue(v)}`);
  const upstreamKeys = stages.get(dep.stage)?.spec.matrix.map((a) => a.key) ?? [];
  const shared = downstream.matrix.map((a) => a.key).filter((k) => upstreamKeys.includes(k) && !Object.hasOwn(dep.filter, k));
  if (shared.length > 0) parts.push(`same ${shared.join(', ')}`);
  else if (upstreamKeys.length > 0 && parts.length === 0) parts.push('all');
  return parts.join('; ');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function escapeMermaid(text: string): string {
  return text.replace(/"/g, '#quot;');
}
