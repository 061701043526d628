// What both renderings (HTML, Markdown) are made from.
import type { ClaimResult } from './claims.ts';
import type { Dag } from './dag.ts';
import type { ProvenanceView } from './provenance.ts';
import type { Results } from './results.ts';
import type { TableView } from './table1.ts';

export interface ReportFigure {
  n: number;
  name: string;
  title: string;
  caption: string;
  svg: string;
  skipped?: string;
}

export interface ReportModel {
  title: string;
  profile: string;
  figures: ReportFigure[];
  claims: ClaimResult[];
  table1: TableView | { skipped: string };
  provenance: ProvenanceView;
  dag: Dag;
  results: Results;
  /** Parts of the run that did not happen, with why (stage skips, missing data). */
  skipped: { what: string; why: string }[];
}
