// The TTF files the PNG renderer loads. resvg reads TrueType/OpenType only (not woff), and CI
// machines may have no system fonts at all, so the fonts come from an npm package
// (dejavu-fonts-ttf): DejaVu covers σ, ε, Δ, ², ‖ and the other glyphs the figures use.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export class FontNotFoundError extends Error {
  constructor(path: string) {
    super(`font file not found: ${path}\n  hint: run \`npm install\` (the figures need the dejavu-fonts-ttf package)`);
    this.name = 'FontNotFoundError';
  }
}

export function dejavuFontFiles(): string[] {
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  const files = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans-Oblique.ttf', 'DejaVuSans-BoldOblique.ttf'].map((f) => join(dir, f));
  for (const f of files) if (!existsSync(f)) throw new FontNotFoundError(f);
  return files;
}
