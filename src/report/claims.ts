// Claims are data (claims.yaml): each names a path into results.json, a comparator and a
// tolerance, and this one module turns them into ✓ / ✗ / skipped with the measured number.
// A new claim needs no code; a new comparator is one entry in COMPARATORS.
import { closest } from 'fastest-levenshtein';
import { parse as parseYaml } from 'yaml';

export type Comparator =
  | '<'
  | '<='
  | '>'
  | '>='
  | '=='
  | 'within'
  | 'monotone_decreasing'
  | 'monotone_nonincreasing'
  | 'monotone_increasing'
  | 'monotone_nondecreasing';

export const COMPARATORS: readonly Comparator[] = [
  '<',
  '<=',
  '>',
  '>=',
  '==',
  'within',
  'monotone_decreasing',
  'monotone_nonincreasing',
  'monotone_increasing',
  'monotone_nondecreasing',
];

/** A number, or a number per profile (`default` for the rest). */
export type PerProfile<T> = T | { [profile: string]: T };

export interface Claim {
  id: string;
  section: string;
  /** The paper's wording. */
  paper: string;
  /** Dotted path into results.json, e.g. `deep_vae.mnist.fixed.collapse_pct`. */
  metric: string;
  comparator: Comparator;
  /** Threshold / reference number. */
  value?: PerProfile<number>;
  /** A second results.json path used as the reference instead of `value` (for `within`, `<=`, …). */
  ref?: string;
  /** Slack in the claim's favour: absolute for <,<=,>,>=,==,monotone_*; relative for `within`. */
  tolerance?: PerProfile<number>;
  /** Profiles on which the claim is not checked, with why. */
  skip?: Record<string, string>;
  /** How the metric is measured, shown under the claim. */
  note?: string;
}

export type ClaimStatus = 'pass' | 'fail' | 'skipped' | 'missing';

export interface ClaimResult {
  id: string;
  section: string;
  paper: string;
  metric: string;
  comparator: Comparator;
  /** Human form of the test, e.g. `≤ 1e-6` or `within 1% of ppca.loglik`. */
  expected: string;
  tolerance: number;
  measured: number | number[] | null;
  reference: number | null;
  status: ClaimStatus;
  /** For skipped / missing: why; for fail: what broke. */
  why?: string;
  note?: string;
}

export class ClaimsFileError extends Error {
  constructor(file: string, message: string, hint?: string) {
    super(`${file}: ${message}${hint ? `\n  hint: ${hint}` : ''}`);
    this.name = 'ClaimsFileError';
  }
}

const KEYS = ['id', 'section', 'paper', 'metric', 'comparator', 'value', 'ref', 'tolerance', 'skip', 'note'];

export function parseClaims(text: string, file = 'claims.yaml'): Claim[] {
  const doc = parseYaml(text) as { claims?: unknown } | null;
  if (!doc || !Array.isArray(doc.claims)) throw new ClaimsFileError(file, 'expected a top-level `claims:` list');
  const seen = new Set<string>();
  return doc.claims.map((raw, i) => {
    const where = `claims[${i}]`;
    if (!raw || typeof raw !== 'object') throw new ClaimsFileError(file, `${where}: expected a mapping`);
    const c = raw as Record<string, unknown>;
    for (const key of Object.keys(c)) {
      if (!KEYS.includes(key)) throw new ClaimsFileError(file, `${where} (${String(c.id)}): unknown key '${key}'`, `did you mean '${closest(key, KEYS)}'?`);
    }
    for (const key of ['id', 'section', 'paper', 'metric', 'comparator']) {
      if (typeof c[key] !== 'string' || !c[key]) throw new ClaimsFileError(file, `${where} (${String(c.id)}): '${key}' must be a non-empty string`);
    }
    const comparator = c.comparator as string;
    if (!COMPARATORS.includes(comparator as Comparator)) {
      throw new ClaimsFileError(file, `${where} (${String(c.id)}): unknown comparator '${comparator}'`, `did you mean '${closest(comparator, [...COMPARATORS])}'? (one of ${COMPARATORS.join(', ')})`);
    }
    const needsValue = !comparator.startsWith('monotone_');
    if (needsValue && c.value === undefined && c.ref === undefined) {
      throw new ClaimsFileError(file, `${where} (${String(c.id)}): comparator '${comparator}' needs 'value' or 'ref'`);
    }
    if (seen.has(c.id as string)) throw new ClaimsFileError(file, `${where}: duplicate claim id '${String(c.id)}'`);
    seen.add(c.id as string);
    checkPerProfile(file, where, 'value', c.value);
    checkPerProfile(file, where, 'tolerance', c.tolerance);
    return c as unknown as Claim;
  });
}

function checkPerProfile(file: string, where: string, key: string, v: unknown): void {
  if (v === undefined || typeof v === 'number') return;
  if (v && typeof v === 'object' && Object.values(v).every((x) => typeof x === 'number')) return;
  throw new ClaimsFileError(file, `${where}: '${key}' must be a number or a map profile → number`);
}

export function forProfile(v: PerProfile<number> | undefined, profile: string): number | undefined {
  if (v === undefined || typeof v === 'number') return v;
  return v[profile] ?? v.default;
}

/** Value at a dotted path (`a.b.0.c`), or undefined. */
export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** The reason recorded in results.skipped for the longest prefix of `path`, if any. */
export function skipReason(skipped: Record<string, string> | undefined, path: string): string | undefined {
  if (!skipped) return undefined;
  const parts = path.split('.');
  for (let n = parts.length; n > 0; n--) {
    const r = skipped[parts.slice(0, n).join('.')];
    if (r) return r;
  }
  return undefined;
}

const SYMBOL: Record<string, string> = { '<': '<', '<=': '≤', '>': '>', '>=': '≥', '==': '=' };

function describe(c: Claim, ref: number | null, tol: number): string {
  const r = c.ref ? `${c.ref}${ref !== null ? ` (${fmt(ref)})` : ''}` : ref !== null ? fmt(ref) : '?';
  const t = tol ? ` ± ${fmt(tol)}` : '';
  switch (c.comparator) {
    case 'within':
      return `within ${fmt(tol * 100)}% of ${r}`;
    case 'monotone_decreasing':
      return `strictly decreasing${t}`;
    case 'monotone_nonincreasing':
      return `non-increasing${t}`;
    case 'monotone_increasing':
      return `strictly increasing${t}`;
    case 'monotone_nondecreasing':
      return `non-decreasing${t}`;
    default:
      return `${SYMBOL[c.comparator]} ${r}${t}`;
  }
}

export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e6) return String(Number(x.toPrecision(4)));
  return x.toExponential(2);
}

function isNumberArray(v: unknown): v is number[] {
  return Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number' && Number.isFinite(x));
}

/** Pure: whether `measured` satisfies the comparator against `ref` with slack `tol`. */
export function compare(comparator: Comparator, measured: number | number[], ref: number | null, tol: number): { ok: boolean; why?: string } {
  if (comparator.startsWith('monotone_')) {
    if (!Array.isArray(measured) || measured.length < 2) return { ok: false, why: 'needs a list of at least two numbers' };
    for (let i = 1; i < measured.length; i++) {
      const d = measured[i] - measured[i - 1];
      const ok =
        comparator === 'monotone_decreasing' ? d < tol : comparator === 'monotone_nonincreasing' ? d <= tol : comparator === 'monotone_increasing' ? d > -tol : d >= -tol;
      if (!ok) return { ok: false, why: `step ${i}: ${fmt(measured[i - 1])} → ${fmt(measured[i])}` };
    }
    return { ok: true };
  }
  if (Array.isArray(measured)) return { ok: false, why: `comparator '${comparator}' needs one number, got a list` };
  if (ref === null) return { ok: false, why: 'no reference value' };
  const m = measured;
  switch (comparator) {
    case '<':
      return { ok: m < ref + tol };
    case '<=':
      return { ok: m <= ref + tol };
    case '>':
      return { ok: m > ref - tol };
    case '>=':
      return { ok: m >= ref - tol };
    case '==':
      return { ok: Math.abs(m - ref) <= tol };
    case 'within':
      return { ok: Math.abs(m - ref) <= tol * Math.abs(ref) };
    default:
      return { ok: false, why: `unknown comparator '${comparator as string}'` };
  }
}

export interface ResultsLike {
  skipped?: Record<string, string>;
}

export function evaluateClaim(c: Claim, results: ResultsLike, profile: string): ClaimResult {
  const tol = forProfile(c.tolerance, profile) ?? 0;
  const refRaw = c.ref !== undefined ? getPath(results, c.ref) : forProfile(c.value, profile);
  const reference = typeof refRaw === 'number' && Number.isFinite(refRaw) ? refRaw : null;
  const raw = getPath(results, c.metric);
  const measured = typeof raw === 'number' ? raw : isNumberArray(raw) ? raw : null;
  const base = { id: c.id, section: c.section, paper: c.paper, metric: c.metric, comparator: c.comparator, tolerance: tol, measured, reference, note: c.note };
  const expected = describe(c, reference, tol);
  const profileSkip = c.skip?.[profile];
  if (profileSkip) return { ...base, expected, status: 'skipped', why: `${profile} profile: ${profileSkip}` };
  if (measured === null) {
    const reason = skipReason(results.skipped, c.metric) ?? (c.ref ? skipReason(results.skipped, c.ref) : undefined);
    if (reason) return { ...base, expected, status: 'skipped', why: reason };
    return { ...base, expected, status: 'missing', why: `${c.metric} is not in results.json${raw !== undefined ? ` (found ${JSON.stringify(raw)})` : ''}` };
  }
  if (!c.comparator.startsWith('monotone_') && reference === null) {
    const reason = c.ref ? skipReason(results.skipped, c.ref) : undefined;
    if (reason) return { ...base, expected, status: 'skipped', why: reason };
    return { ...base, expected, status: 'missing', why: `reference ${c.ref ?? 'value'} is not a number` };
  }
  if (typeof measured === 'number' && !Number.isFinite(measured)) return { ...base, expected, status: 'fail', why: `measured ${measured}` };
  const { ok, why } = compare(c.comparator, measured, reference, tol);
  return { ...base, expected, status: ok ? 'pass' : 'fail', why };
}

export function evaluateClaims(claims: Claim[], results: ResultsLike, profile: string): ClaimResult[] {
  return claims.map((c) => evaluateClaim(c, results, profile));
}

export function claimSummary(results: ClaimResult[]): Record<ClaimStatus, number> {
  const s: Record<ClaimStatus, number> = { pass: 0, fail: 0, skipped: 0, missing: 0 };
  for (const r of results) s[r.status]++;
  return s;
}

export const STATUS_MARK: Record<ClaimStatus, string> = { pass: '✓', fail: '✗', skipped: 'skipped', missing: '? not measured' };
