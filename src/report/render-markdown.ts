// reports/README.md: the GitHub-viewable version: PNG links, Markdown tables, a mermaid DAG.
import { STATUS_MARK, claimSummary, fmt } from './claims.ts';
import { dagMermaid } from './dag.ts';
import { mdCell as c, seconds } from './format.ts';
import type { ReportModel } from './model.ts';
import type { TableView } from './table1.ts';

function mdTable(v: TableView): string {
  return [`| ${v.headers.map(c).join(' | ')} |`, `| ${v.headers.map(() => '---').join(' | ')} |`, ...v.rows.map((r) => `| ${r.map(c).join(' | ')} |`)].join('\n');
}

export function renderMarkdown(m: ReportModel): string {
  const s = claimSummary(m.claims);
  const claims: TableView = {
    headers: ['', 'where', 'the paper says', 'metric', 'measured', 'test', 'note'],
    rows: m.claims.map((x) => [
      STATUS_MARK[x.status],
      x.section,
      x.paper,
      `\`${x.metric}\``,
      x.measured === null ? '—' : Array.isArray(x.measured) ? `[${x.measured.map(fmt).join(', ')}]` : fmt(x.measured),
      x.expected,
      x.why ?? '',
    ]),
  };
  const p = m.provenance;
  const stages: TableView = {
    headers: ['stage instance', 'fingerprint', 'duration', 'backend', 'status'],
    rows: p.stages.map((x) => [x.id, x.fingerprint ? `\`${x.fingerprint.slice(0, 16)}\`` : '—', seconds(x.wall_seconds), x.backend ?? '—', x.skipped ? `skipped: ${x.skipped}` : 'ran']),
  };
  const out = [
    `# ${m.title}`,
    '',
    `Reproduction of Lucas, Tucker, Grosse & Norouzi, "Don't Blame the ELBO! A Linear VAE Perspective on Posterior Collapse" (NeurIPS 2019). Profile **${m.profile}**.`,
    '',
    `> ${p.data.statement}`,
    '',
    '## Claims checklist',
    '',
    `✓ ${s.pass} hold · ✗ ${s.fail} do not hold · ${s.skipped} skipped · ${s.missing} not measured`,
    '',
    mdTable(claims),
    '',
    '## Figures',
    '',
    ...m.figures.flatMap((f) => [
      `### Figure ${f.n}: ${f.title}`,
      '',
      `![Figure ${f.n}: ${f.title}](${f.name}.png)`,
      '',
      `${f.caption}${f.skipped ? ` **Skipped:** ${f.skipped}` : ''} ([SVG](${f.name}.svg), [Vega-Lite spec](${f.name}.vl.json))`,
      '',
    ]),
    '## Table 1: deep Gaussian VAEs',
    '',
    'Training-set ELBO (nats), mean ± std over seeds; collapse % = latent dimensions within ε = 0.01 KL of the prior for ≥ 99% of inputs.',
    '',
    'skipped' in m.table1 ? `Skipped: ${m.table1.skipped}` : mdTable(m.table1),
    '',
    ...(m.skipped.length ? ['## Skipped parts', '', ...m.skipped.map((x) => `- **${x.what}**: ${x.why}`), ''] : []),
    '## Provenance',
    '',
    `- **Data:** ${p.data.statement}${p.data.space ? ` Data space: ${p.data.space}.` : ''}`,
    `- **Profile:** ${p.profile}`,
    `- **Backend:** ${p.backends.length ? p.backends.join(', ') : 'not recorded'}; Node ${p.node ?? '—'}`,
    `- **Packages:** ${Object.entries(p.versions).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    '',
    mdTable(stages),
    '',
    '### Pipeline DAG',
    '',
    '```mermaid',
    dagMermaid(m.dag),
    '```',
    '',
  ];
  return out.join('\n');
}
