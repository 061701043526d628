// Number and text formatting shared by the HTML and Markdown renderings.

export function num(x: unknown, digits = 1): string {
  if (typeof x !== 'number' || !Number.isFinite(x)) return '—';
  const a = Math.abs(x);
  if (a !== 0 && (a < 10 ** -digits || a >= 1e7)) return x.toExponential(2).replace('-', '−');
  return x.toFixed(digits).replace('-', '−');
}

export function sig(x: unknown, digits = 4): string {
  if (typeof x !== 'number' || !Number.isFinite(x)) return '—';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a < 1e-3 || a >= 1e7) return x.toExponential(2).replace('-', '−');
  return String(Number(x.toPrecision(digits))).replace('-', '−');
}

export function pm(mean: unknown, std: unknown, digits = 1): string {
  const m = num(mean, digits);
  if (m === '—') return m;
  return typeof std === 'number' && Number.isFinite(std) ? `${m} ± ${num(std, digits)}` : m;
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A Markdown table cell: no pipes or newlines. */
export function mdCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function seconds(s: unknown): string {
  if (typeof s !== 'number' || !Number.isFinite(s)) return '—';
  if (s < 60) return `${s.toFixed(1)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}
