// Assemble the report from what the report stage sees: the figures stage's manifest and SVGs,
// the science artifacts, claims.yaml and the DAG. Pure apart from reading the input files.
import { existsSync, readFileSync } from 'node:fs';
import { findOut, readJson, type InputsOf } from './artifacts.ts';
import { evaluateClaims, parseClaims, type ClaimResult } from './claims.ts';
import type { Dag } from './dag.ts';
import type { FigureEntry } from './figure-set.ts';
import type { ReportFigure, ReportModel } from './model.ts';
import { buildProvenance, stageRecords } from './provenance.ts';
import { renderHtml } from './render-html.ts';
import { renderMarkdown } from './render-markdown.ts';
import { buildResults, type Results } from './results.ts';
import { loadScience } from './science.ts';
import { table1SideBySide } from './table1.ts';

export const FIGURES_STAGE = 'figures';
export const FIGURES_MANIFEST = 'figures.json';

export type FigureManifestEntry = Omit<FigureEntry, 'spec'>;

export interface ReportSources {
  profile: string;
  inputsOf: InputsOf;
  /** Upstream stage names whose instances appear in provenance, in pipeline order. */
  stages: string[];
  claimsText: string;
  claimsFile?: string;
  dag: Dag;
}

export interface BuiltReport {
  html: string;
  markdown: string;
  results: Results & { claims: Pick<ClaimResult, 'id' | 'status' | 'measured' | 'expected'>[] };
  model: ReportModel;
}

export class ReportInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportInputError';
  }
}

export function loadFigures(inputsOf: InputsOf): ReportFigure[] {
  const [fig] = inputsOf(FIGURES_STAGE);
  if (!fig) throw new ReportInputError(`the report needs the '${FIGURES_STAGE}' stage as an input`);
  if (fig.skipped) throw new ReportInputError(`the '${FIGURES_STAGE}' stage skipped: ${fig.skipped}`);
  const manifestPath = findOut(fig, FIGURES_MANIFEST);
  if (!manifestPath) throw new ReportInputError(`'${FIGURES_STAGE}' has no ${FIGURES_MANIFEST} out`);
  const manifest = readJson<FigureManifestEntry[]>(manifestPath);
  return manifest.map((m) => {
    const svgPath = findOut(fig, `${m.name}.svg`);
    if (!svgPath || !existsSync(svgPath)) throw new ReportInputError(`'${FIGURES_STAGE}' lists ${m.name} but wrote no ${m.name}.svg`);
    return { ...m, svg: readFileSync(svgPath, 'utf8') };
  });
}

export function buildReport(src: ReportSources): BuiltReport {
  const science = loadScience(src.inputsOf);
  const { records, provenances } = stageRecords(src.inputsOf, src.stages);
  const results = buildResults(science, src.profile, records);
  const claims = evaluateClaims(parseClaims(src.claimsText, src.claimsFile), results, src.profile);
  const figures = loadFigures(src.inputsOf);
  const provenance = buildProvenance(src.profile, results.data, records, provenances);

  const instanceCount = new Map<string, number>();
  const skippedStage = new Set<string>();
  for (const r of records) {
    instanceCount.set(r.stage, (instanceCount.get(r.stage) ?? 0) + 1);
    if (r.skipped) skippedStage.add(r.stage);
  }
  const dag: Dag = { nodes: src.dag.nodes.map((n) => ({ ...n, instances: instanceCount.get(n.name) ?? n.instances, skipped: skippedStage.has(n.name) || n.skipped })) };

  const table1 =
    science.table1.ok || science.paperTable1.ok
      ? table1SideBySide(science.table1.ok ? science.table1.value : [], science.paperTable1.ok ? science.paperTable1.value : [])
      : { skipped: science.table1.ok ? 'no table' : science.table1.why };

  const skipped = [
    ...records.filter((r) => r.skipped).map((r) => ({ what: `stage ${r.id}`, why: r.skipped! })),
    ...figures.filter((f) => f.skipped).map((f) => ({ what: `Figure ${f.n}`, why: f.skipped! })),
    ...Object.entries(results.skipped).map(([what, why]) => ({ what: `results.${what}`, why })),
  ];

  const model: ReportModel = {
    title: "Don't Blame the ELBO! — reproduction report",
    profile: src.profile,
    figures,
    claims,
    table1,
    provenance,
    dag,
    results,
    skipped,
  };
  return {
    html: renderHtml(model),
    markdown: renderMarkdown(model),
    results: { ...results, claims: claims.map(({ id, status, measured, expected }) => ({ id, status, measured, expected })) },
    model,
  };
}
