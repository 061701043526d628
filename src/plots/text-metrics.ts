// Without a canvas, vega estimates text width as 0.8 × fontSize per character, which makes
// titles and legends far wider than drawn (blank margins, early "…" truncation). vega lets a
// host install its own textMetrics.width (vl-convert does the same); we measure with the very
// TTFs that resvg draws with, so layout and PNG agree.
import opentype from 'opentype.js';
import * as vega from 'vega';
import { dejavuFontFiles } from './fonts.ts';

interface TextItem {
  fontSize?: number | string;
  fontWeight?: string | number;
  fontStyle?: string;
  limit?: number;
}

let fonts: { regular: opentype.Font; bold: opentype.Font; oblique: opentype.Font; boldOblique: opentype.Font } | null = null;
const cache = new Map<string, number>();

function loadFonts() {
  if (!fonts) {
    const [regular, bold, oblique, boldOblique] = dejavuFontFiles().map((f) => opentype.loadSync(f));
    fonts = { regular, bold, oblique, boldOblique };
  }
  return fonts;
}

function isBold(weight: string | number | undefined): boolean {
  if (weight === undefined) return false;
  if (typeof weight === 'number') return weight >= 600;
  return weight === 'bold' || weight === 'bolder' || Number(weight) >= 600;
}

/** Advance width in px of `text` set in DejaVu Sans at `fontSize`. */
export function measureText(text: string, fontSize: number, bold = false, italic = false): number {
  if (!text || fontSize <= 0) return 0;
  const key = `${bold ? 'b' : ''}${italic ? 'i' : ''}${fontSize}|${text}`;
  let w = cache.get(key);
  if (w === undefined) {
    const f = loadFonts();
    const font = bold ? (italic ? f.boldOblique : f.bold) : italic ? f.oblique : f.regular;
    w = font.getAdvanceWidth(text, fontSize, { kerning: true });
    cache.set(key, w);
  }
  return w;
}

let installed = false;

/** Make vega measure text with DejaVu metrics (idempotent, process-wide). */
export function installTextMetrics(): void {
  if (installed) return;
  const metrics = (vega as unknown as { textMetrics: { width: (item: TextItem, text: unknown) => number } }).textMetrics;
  metrics.width = (item: TextItem, text: unknown) => {
    const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
    const s = text == null ? '' : String(text).trim();
    const w = measureText(s, size, isBold(item.fontWeight), item.fontStyle === 'italic' || item.fontStyle === 'oblique');
    // vega truncates text longer than `limit` (with an ellipsis) before drawing it.
    return item.limit && item.limit > 0 ? Math.min(w, item.limit) : w;
  };
  installed = true;
}
