// Stage `table1` (fan-in over every deep-vae instance, and deep-vae-celeba when declared):
// Table 1 (CSV + Markdown, the paper's values side by side) and the aggregated collapse curves
// of Figures 5–6.
import * as aq from 'arquero';
import { copyFileSync } from 'node:fs';
import { writeFileAtomic, writeJsonAtomic } from '../src/io/atomic.ts';
import {
  aggregateCollapseCurves, aggregateTable1, joinPaper, loadPaperTable1, PAPER_TABLE1_PATH, table1Markdown,
} from '../src/metrics/table1.ts';
import { readTable1Inputs } from '../src/metrics/table1-inputs.ts';
import type { StageContext, StageInput } from '../src/pipeline/stage.ts';

function inputsOrNone(ctx: StageContext, stage: string): StageInput[] {
  try {
    return ctx.inputs(stage);
  } catch {
    return []; // not a dependency in this pipeline
  }
}

export async function run(ctx: StageContext): Promise<void> {
  const mnist = readTable1Inputs(inputsOrNone(ctx, 'deep-vae'), 'mnist');
  const celeba = readTable1Inputs(inputsOrNone(ctx, 'deep-vae-celeba'), 'celeba');
  const metrics = [...mnist.metrics, ...celeba.metrics];
  if (metrics.length === 0) throw new Error(`${ctx.id}: no deep-vae results to tabulate (every input missing or skipped)`);
  const rows = joinPaper(aggregateTable1(metrics), loadPaperTable1());
  const curves = aggregateCollapseCurves([...mnist.curves, ...celeba.curves]);
  writeFileAtomic(ctx.out('table1'), aq.from(rows).toCSV());
  writeFileAtomic(ctx.out('collapse_curves'), aq.from(curves).toCSV());
  copyFileSync(PAPER_TABLE1_PATH, ctx.out('paper'));
  const skipped = [...mnist.skipped, ...celeba.skipped];
  const note =
    'ELBO per example on the training set (nats, logit space), mean ± sample std over seeds; "paper" columns are Table 1 of Lucas et al. (2019).' +
    (skipped.length ? ` Skipped: ${skipped.map((s) => `${s.id} (${s.reason})`).join('; ')}.` : '');
  writeFileAtomic(ctx.out('table1_md'), table1Markdown(rows, note));
  writeJsonAtomic(ctx.out('meta'), {
    instances: metrics.length,
    skipped,
    provenance: { stage: ctx.id, profile: ctx.profile, node: process.version, seed: ctx.seed },
  });
  ctx.progress(1, `${rows.length} rows from ${metrics.length} instances`);
}
