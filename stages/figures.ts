// Stage `figures`: every figure of the paper as Vega-Lite spec, SVG and PNG, plus figures.json
// (number, title, caption, skipped reason) for the report. Math-free: see src/report/figure-set.ts.
import { writeFileAtomic, writeJsonAtomic } from '../src/io/atomic.ts';
import { renderFigure } from '../src/plots/render.ts';
import { FIGURES_MANIFEST } from '../src/report/build-report.ts';
import { buildFigureSet } from '../src/report/figure-set.ts';
import { loadScience } from '../src/report/science.ts';
import type { StageContext } from '../src/pipeline/stage.ts';

export async function run(ctx: StageContext): Promise<void> {
  const set = buildFigureSet(loadScience((stage) => ctx.inputs(stage)));
  for (const [i, f] of set.entries()) {
    ctx.progress(i / set.length, f.name);
    const r = await renderFigure(f.name, f.spec);
    writeJsonAtomic(ctx.out(`${f.name}.vl.json`), f.spec);
    writeFileAtomic(ctx.out(`${f.name}.svg`), r.svg);
    writeFileAtomic(ctx.out(`${f.name}.png`), r.png);
    ctx.log(`${f.name}: ${r.width}×${r.height} px${f.skipped ? ` (skipped: ${f.skipped})` : ''}`);
  }
  writeJsonAtomic(
    ctx.out(FIGURES_MANIFEST),
    set.map(({ n, name, title, caption, skipped }) => ({ n, name, title, caption, ...(skipped ? { skipped } : {}) })),
  );
  ctx.progress(1, 'done');
}
