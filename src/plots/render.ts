// Headless rendering with npm-only libraries: Vega-Lite → Vega spec → vega View with the 'none'
// renderer → SVG string; SVG → PNG with resvg (a Rust rasteriser shipped as a prebuilt npm
// binary, no browser download). Deterministic: same spec, same bytes.
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { dejavuFontFiles } from './fonts.ts';
import { installTextMetrics } from './text-metrics.ts';
import { FONT_FAMILY } from './theme.ts';

export interface RenderedFigure {
  svg: string;
  png: Buffer;
  width: number;
  height: number;
}

export class FigureRenderError extends Error {
  constructor(figure: string, cause: unknown) {
    super(`could not render ${figure}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'FigureRenderError';
  }
}

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  installTextMetrics();
  const vgSpec = compile(spec).spec;
  const view = new vega.View(vega.parse(vgSpec), { renderer: 'none', logLevel: vega.Error });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** PNG at `scale` × the SVG's CSS size (2 = crisp on high-DPI screens and in print). */
export function svgToPng(svg: string, scale = 2): { png: Buffer; width: number; height: number } {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: {
      loadSystemFonts: false,
      fontFiles: dejavuFontFiles(),
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
      serifFamily: FONT_FAMILY,
      monospaceFamily: FONT_FAMILY,
    },
  });
  const image = resvg.render();
  return { png: image.asPng(), width: image.width, height: image.height };
}

export async function renderFigure(name: string, spec: TopLevelSpec): Promise<RenderedFigure> {
  try {
    const svg = await renderSvg(spec);
    return { svg, ...svgToPng(svg) };
  } catch (err) {
    throw new FigureRenderError(name, err);
  }
}
