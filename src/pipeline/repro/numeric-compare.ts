// Comparing two versions of an out by value rather than by bytes, for backends that are not
// bit-deterministic (tfjs-node / libtensorflow on a GPU reorders float reductions): JSON compared
// structurally, CSV cell by cell, .npy element by element, numbers within one stated tolerance.
// Strings, keys, shapes and row counts must still match exactly.
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { decodeNpy } from '../../io/npy.ts';

/** The one tolerance of the reproducibility check: |a − b| ≤ atol + rtol·max(|a|, |b|). */
export const REPRO_TOLERANCE = { rtol: 1e-3, atol: 1e-9 } as const;

export interface Tolerance {
  rtol: number;
  atol: number;
}

export type NumericComparison =
  | { ok: true; maxRelDiff: number }
  /** `where` locates the first difference: a JSON path, `row 3, column elbo`, or `element 17`. */
  | { ok: false; where: string; a: string; b: string; why: string };

/** Which outs can be compared by value: by file extension. */
export function numericKind(path: string): 'json' | 'csv' | 'npy' | undefined {
  const ext = extname(path).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.csv') return 'csv';
  if (ext === '.npy') return 'npy';
  return undefined;
}

export function closeEnough(a: number, b: number, tol: Tolerance = REPRO_TOLERANCE): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= tol.atol + tol.rtol * Math.max(Math.abs(a), Math.abs(b));
}

function relDiff(a: number, b: number): number {
  if (a === b || !Number.isFinite(a) || !Number.isFinite(b)) return 0;
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
}

class Tracker {
  maxRelDiff = 0;
  constructor(readonly tol: Tolerance) {}
  numbers(a: number, b: number, where: string): NumericComparison | null {
    if (!closeEnough(a, b, this.tol)) return { ok: false, where, a: String(a), b: String(b), why: `differ by more than rtol ${this.tol.rtol}` };
    this.maxRelDiff = Math.max(this.maxRelDiff, relDiff(a, b));
    return null;
  }
  done(): NumericComparison {
    return { ok: true, maxRelDiff: this.maxRelDiff };
  }
}

const show = (v: unknown): string => {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

export function compareJsonValues(a: unknown, b: unknown, tol: Tolerance = REPRO_TOLERANCE): NumericComparison {
  const t = new Tracker(tol);
  const walk = (x: unknown, y: unknown, path: string): NumericComparison | null => {
    if (typeof x === 'number' && typeof y === 'number') return t.numbers(x, y, path || '(root)');
    if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length) return { ok: false, where: path || '(root)', a: `${x.length} items`, b: `${y.length} items`, why: 'arrays differ in length' };
      for (let i = 0; i < x.length; i++) {
        const r = walk(x[i], y[i], `${path}[${i}]`);
        if (r) return r;
      }
      return null;
    }
    if (x && y && typeof x === 'object' && typeof y === 'object' && !Array.isArray(x) && !Array.isArray(y)) {
      const kx = Object.keys(x).sort();
      const ky = Object.keys(y).sort();
      if (kx.join('\0') !== ky.join('\0')) return { ok: false, where: path || '(root)', a: show(kx), b: show(ky), why: 'objects have different keys' };
      for (const k of kx) {
        const r = walk((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
        if (r) return r;
      }
      return null;
    }
    if (x === y) return null;
    return { ok: false, where: path || '(root)', a: show(x), b: show(y), why: 'values differ' };
  };
  return walk(a, b, '') ?? t.done();
}

/** RFC 4180 rows (quoted fields, doubled quotes, CRLF or LF); small enough not to need a library. */
export function parseCsvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field), rows.push(row), (row = []), (field = '');
    } else field += c;
  }
  if (field !== '' || row.length) row.push(field), rows.push(row);
  return rows;
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$|^[-+]?(Infinity|NaN)$/;

export function compareCsvText(a: string, b: string, tol: Tolerance = REPRO_TOLERANCE): NumericComparison {
  const t = new Tracker(tol);
  const ra = parseCsvRows(a);
  const rb = parseCsvRows(b);
  if (ra.length !== rb.length) return { ok: false, where: 'rows', a: String(ra.length), b: String(rb.length), why: 'different number of rows' };
  const header = ra[0] ?? [];
  for (let r = 0; r < ra.length; r++) {
    if (ra[r].length !== rb[r].length) return { ok: false, where: `row ${r}`, a: `${ra[r].length} cells`, b: `${rb[r].length} cells`, why: 'different number of cells' };
    for (let c = 0; c < ra[r].length; c++) {
      const x = ra[r][c];
      const y = rb[r][c];
      if (x === y) continue;
      const where = `row ${r}, column ${header[c] ?? c}`;
      if (NUMBER.test(x.trim()) && NUMBER.test(y.trim())) {
        const bad = t.numbers(Number(x), Number(y), where);
        if (bad) return bad;
      } else return { ok: false, where, a: show(x), b: show(y), why: 'cells differ' };
    }
  }
  return t.done();
}

export function compareNpyBuffers(a: Buffer, b: Buffer, tol: Tolerance = REPRO_TOLERANCE): NumericComparison {
  const x = decodeNpy(a);
  const y = decodeNpy(b);
  if (x.shape.join(',') !== y.shape.join(',') || x.data.constructor !== y.data.constructor) {
    return { ok: false, where: 'header', a: `${x.data.constructor.name} [${x.shape}]`, b: `${y.data.constructor.name} [${y.shape}]`, why: 'dtype or shape differ' };
  }
  const t = new Tracker(tol);
  for (let i = 0; i < x.data.length; i++) {
    if (x.data[i] === y.data[i]) continue;
    const bad = t.numbers(x.data[i], y.data[i], `element ${i}`);
    if (bad) return bad;
  }
  return t.done();
}

/** Compare two files by value; undefined when the kind cannot be compared by value (bytes rule). */
export function compareFilesNumerically(aPath: string, bPath: string, tol: Tolerance = REPRO_TOLERANCE): NumericComparison | undefined {
  const kind = numericKind(aPath);
  if (!kind) return undefined;
  if (kind === 'npy') return compareNpyBuffers(readFileSync(aPath), readFileSync(bPath), tol);
  const ta = readFileSync(aPath, 'utf8');
  const tb = readFileSync(bPath, 'utf8');
  if (kind === 'csv') return compareCsvText(ta, tb, tol);
  let ja: unknown, jb: unknown;
  try {
    ja = JSON.parse(ta);
    jb = JSON.parse(tb);
  } catch (err) {
    return { ok: false, where: '(parse)', a: aPath, b: bPath, why: `not JSON: ${(err as Error).message}` };
  }
  return compareJsonValues(ja, jb, tol);
}
