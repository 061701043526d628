// reports/index.html: one self-contained file (inline CSS, figures as data: URIs, the DAG as
// inline SVG, no script, no network) that opens straight from the file system.
import { STATUS_MARK, claimSummary, fmt, type ClaimResult } from './claims.ts';
import { dagMermaid, dagSvg } from './dag.ts';
import { escapeHtml as e, seconds } from './format.ts';
import type { ReportModel } from './model.ts';
import type { TableView } from './table1.ts';

const CSS = `
body { font-family: "DejaVu Sans", system-ui, sans-serif; margin: 0 auto; max-width: 1200px; padding: 1.5rem; color: #222; line-height: 1.45; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
figure { margin: 1.5rem 0; } figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: .92rem; color: #444; max-width: 900px; } .skipped { color: #8a6d00; }
table { border-collapse: collapse; font-size: .85rem; margin: .8rem 0; } th, td { border: 1px solid #ddd; padding: .25rem .45rem; text-align: left; vertical-align: top; }
th { background: #f5f7fa; } td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.pass { color: #1a7f37; font-weight: bold; } .fail { color: #c62828; font-weight: bold; } .skip, .missing { color: #8a6d00; }
.summary span { margin-right: 1.2rem; } code { font-size: .85em; } details pre { background: #f7f7f7; padding: .6rem; overflow-x: auto; }
.scroll { overflow-x: auto; } .muted { color: #666; font-size: .9rem; }
table.claims td:nth-child(3) { min-width: 24rem; } table.claims td:nth-child(4) { max-width: 14rem; word-break: break-all; } table.claims td:first-child { font-size: 1.05rem; white-space: nowrap; }
`;

function table(view: TableView, numericFrom = 0): string {
  const head = `<tr>${view.headers.map((h) => `<th>${e(h)}</th>`).join('')}</tr>`;
  const body = view.rows.map((r) => `<tr>${r.map((c, i) => `<td${i >= numericFrom ? ' class="num"' : ''}>${e(c)}</td>`).join('')}</tr>`).join('\n');
  return `<div class="scroll"><table>\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody></table></div>`;
}

function measuredText(c: ClaimResult): string {
  if (c.measured === null) return '—';
  return Array.isArray(c.measured) ? `[${c.measured.map(fmt).join(', ')}]` : fmt(c.measured);
}

function claimClass(c: ClaimResult): string {
  return c.status === 'pass' ? 'pass' : c.status === 'fail' ? 'fail' : c.status === 'skipped' ? 'skip' : 'missing';
}

function claimsSection(claims: ClaimResult[]): string {
  const s = claimSummary(claims);
  const rows = claims
    .map(
      (c) => `<tr id="claim-${e(c.id)}"><td class="${claimClass(c)}">${e(STATUS_MARK[c.status])}</td><td>${e(c.section)}</td><td>${e(c.paper)}${c.note ? `<div class="muted">${e(c.note)}</div>` : ''}</td>` +
        `<td><code>${e(c.metric)}</code></td><td class="num">${e(measuredText(c))}</td><td>${e(c.expected)}</td><td>${c.why ? e(c.why) : ''}</td></tr>`,
    )
    .join('\n');
  return `<h2 id="claims">Claims checklist</h2>
<p class="summary"><span class="pass">✓ ${s.pass} hold</span><span class="fail">✗ ${s.fail} do not hold</span><span class="skip">${s.skipped} skipped</span><span class="missing">${s.missing} not measured</span></p>
<div class="scroll"><table class="claims"><thead><tr><th></th><th>where</th><th>the paper says</th><th>metric (results.json)</th><th>measured</th><th>test</th><th>note</th></tr></thead>
<tbody>
${rows}
</tbody></table></div>`;
}

function figureHtml(f: ReportModel['figures'][number]): string {
  const uri = `data:image/svg+xml;base64,${Buffer.from(f.svg, 'utf8').toString('base64')}`;
  const size = /<svg[^>]*\bwidth="([\d.]+)"[^>]*\bheight="([\d.]+)"/.exec(f.svg);
  const dims = size ? ` width="${Math.round(Number(size[1]))}" height="${Math.round(Number(size[2]))}"` : '';
  return `<figure id="${e(f.name)}">
<img class="figure" src="${uri}" alt="Figure ${f.n}: ${e(f.title)}"${dims}>
<figcaption><b>Figure ${f.n}: ${e(f.title)}.</b> ${e(f.caption)}${f.skipped ? ` <span class="skipped">Skipped: ${e(f.skipped)}</span>` : ''}
<span class="muted">Files: <a href="${e(f.name)}.png">PNG</a> · <a href="${e(f.name)}.svg">SVG</a> · <a href="${e(f.name)}.vl.json">Vega-Lite spec</a></span></figcaption>
</figure>`;
}

function provenanceSection(m: ReportModel): string {
  const p = m.provenance;
  const stageRows: TableView = {
    headers: ['stage instance', 'fingerprint', 'duration', 'backend', 'status'],
    rows: p.stages.map((s) => [s.id, s.fingerprint ? s.fingerprint.slice(0, 16) : '—', seconds(s.wall_seconds), s.backend ?? '—', s.skipped ? `skipped: ${s.skipped}` : 'ran']),
  };
  const versions: TableView = { headers: ['package', 'version'], rows: Object.entries(p.versions).map(([k, v]) => [k, v]) };
  return `<h2 id="provenance">Provenance</h2>
<ul>
<li><b>Data:</b> ${e(p.data.statement)}${p.data.space ? ` Data space: ${e(p.data.space)}.` : ''}</li>
<li><b>Profile:</b> ${e(p.profile)}</li>
<li><b>Backend:</b> ${e(p.backends.length ? p.backends.join(', ') : 'not recorded')}; Node ${e(p.node ?? '—')}</li>
</ul>
<h3>Stages</h3>
${table(stageRows, 99)}
<h3>Package versions</h3>
${table(versions, 99)}
<h3 id="dag">Pipeline DAG</h3>
<div class="scroll">${dagSvg(m.dag)}</div>
<details><summary>Mermaid source</summary><pre>${e(dagMermaid(m.dag))}</pre></details>`;
}

export function renderHtml(m: ReportModel): string {
  const t1 = 'skipped' in m.table1 ? `<p class="skipped">Skipped: ${e(m.table1.skipped)}</p>` : table(m.table1, 2);
  const skipped = m.skipped.length
    ? `<h2 id="skipped">Skipped parts</h2><ul>${m.skipped.map((s) => `<li><b>${e(s.what)}</b>: ${e(s.why)}</li>`).join('\n')}</ul>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(m.title)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>${e(m.title)}</h1>
<p class="muted">Reproduction of Lucas, Tucker, Grosse &amp; Norouzi, “Don't Blame the ELBO! A Linear VAE Perspective on Posterior Collapse” (NeurIPS 2019). Profile <b>${e(m.profile)}</b>. ${e(m.provenance.data.statement)}</p>
<nav>${[...m.figures.map((f) => `<a href="#${e(f.name)}">Figure ${f.n}</a>`), '<a href="#table-1">Table 1</a>', '<a href="#claims">Claims</a>', '<a href="#provenance">Provenance</a>'].join(' · ')}</nav>
${claimsSection(m.claims)}
<h2 id="figures">Figures</h2>
${m.figures.map(figureHtml).join('\n')}
<h2 id="table-1">Table 1: deep Gaussian VAEs</h2>
<p class="muted">Training-set ELBO (nats), mean ± std over seeds; collapse % = latent dimensions within ε = 0.01 KL of the prior for ≥ 99% of inputs. Paper: 5 seeds, full MNIST.</p>
${t1}
${skipped}
${provenanceSection(m)}
</body>
</html>
`;
}
