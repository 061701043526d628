// The stage-level DAG for the report. A stage sees only its own inputs, so the edges come from
// pipeline.yaml itself (parsed with `yaml`, no engine import); instance counts come from the
// inputs the report stage received. Rendered as Mermaid (README) and as an inline SVG (HTML).
import { parse as parseYaml } from 'yaml';
import { escapeHtml } from './format.ts';

export interface DagNode {
  name: string;
  deps: string[];
  /** Matrix instances seen (1 without a matrix). */
  instances?: number;
  skipped?: boolean;
}

export interface Dag {
  nodes: DagNode[];
}

export class DagReadError extends Error {
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'DagReadError';
  }
}

/** `deep-vae[learn=true]` → `deep-vae`; `{stage: x}` → `x`. */
function depName(d: unknown): string | undefined {
  if (typeof d === 'string') return d.replace(/\[.*$/, '').trim();
  if (d && typeof d === 'object' && typeof (d as { stage?: unknown }).stage === 'string') return (d as { stage: string }).stage;
  return undefined;
}

export function dagFromPipelineYaml(text: string, file = 'pipeline.yaml'): Dag {
  const doc = parseYaml(text) as { stages?: Record<string, { deps?: unknown[] }> } | null;
  if (!doc || typeof doc.stages !== 'object' || doc.stages === null) throw new DagReadError(file, 'no `stages:` mapping');
  return {
    nodes: Object.entries(doc.stages).map(([name, spec]) => ({
      name,
      deps: Array.isArray(spec?.deps) ? [...new Set(spec.deps.map(depName).filter((x): x is string => !!x))] : [],
    })),
  };
}

/** Longest-path layering: a stage sits one layer right of its deepest dependency. */
export function layers(dag: Dag): string[][] {
  const byName = new Map(dag.nodes.map((n) => [n.name, n]));
  const depth = new Map<string, number>();
  const visit = (name: string, stack: Set<string>): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    if (stack.has(name)) throw new DagReadError('pipeline.yaml', `cycle through '${name}'`);
    stack.add(name);
    const deps = byName.get(name)?.deps.filter((d) => byName.has(d)) ?? [];
    const d = deps.length ? 1 + Math.max(...deps.map((x) => visit(x, stack))) : 0;
    stack.delete(name);
    depth.set(name, d);
    return d;
  };
  const out: string[][] = [];
  for (const n of dag.nodes) {
    const d = visit(n.name, new Set());
    (out[d] ??= []).push(n.name);
  }
  return out.filter(Boolean);
}

function nodeLabel(n: DagNode): string {
  return n.instances && n.instances > 1 ? `${n.name} ×${n.instances}` : n.name;
}

export function dagMermaid(dag: Dag): string {
  const id = (s: string) => s.replace(/[^A-Za-z0-9_]/g, '_');
  const lines = ['graph LR'];
  for (const n of dag.nodes) lines.push(`  ${id(n.name)}["${nodeLabel(n)}${n.skipped ? ' (skipped)' : ''}"]`);
  for (const n of dag.nodes) for (const d of n.deps) lines.push(`  ${id(d)} --> ${id(n.name)}`);
  return lines.join('\n');
}

/** A small left-to-right SVG drawing of the DAG (no layout library needed at this size). */
export function dagSvg(dag: Dag): string {
  const ls = layers(dag);
  const byName = new Map(dag.nodes.map((n) => [n.name, n]));
  const W = 150;
  const H = 34;
  const GX = 60;
  const GY = 18;
  const maxRows = Math.max(1, ...ls.map((l) => l.length));
  const width = ls.length * (W + GX) - GX + 20;
  const height = maxRows * (H + GY) - GY + 20;
  const pos = new Map<string, { x: number; y: number }>();
  ls.forEach((layer, i) => {
    const offset = ((maxRows - layer.length) * (H + GY)) / 2;
    layer.forEach((name, j) => pos.set(name, { x: 10 + i * (W + GX), y: 10 + offset + j * (H + GY) }));
  });
  const edges: string[] = [];
  for (const n of dag.nodes) {
    const to = pos.get(n.name)!;
    for (const d of n.deps) {
      const from = pos.get(d);
      if (!from) continue;
      const x1 = from.x + W;
      const y1 = from.y + H / 2;
      const x2 = to.x;
      const y2 = to.y + H / 2;
      const mx = (x1 + x2) / 2;
      edges.push(`<path d="M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2 - 6},${y2}" fill="none" stroke="#888" stroke-width="1.4" marker-end="url(#arrow)"/>`);
    }
  }
  const boxes = [...pos.entries()].map(([name, p]) => {
    const n = byName.get(name)!;
    const fill = n.skipped ? '#f3f3f3' : '#eef4fb';
    const stroke = n.skipped ? '#aaa' : '#4a78b0';
    const dash = n.skipped ? ' stroke-dasharray="4 3"' : '';
    return `<g><rect x="${p.x}" y="${p.y}" width="${W}" height="${H}" rx="6" fill="${fill}" stroke="${stroke}"${dash}/><text x="${p.x + W / 2}" y="${p.y + H / 2 + 4}" text-anchor="middle" font-family="DejaVu Sans, sans-serif" font-size="12">${escapeHtml(nodeLabel(n))}</text></g>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="pipeline DAG">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#888"/></marker></defs>',
    ...edges,
    ...boxes,
    '</svg>',
  ].join('\n');
}
