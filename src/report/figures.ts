import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { parse, View } from 'vega';
import { compilePlot } from './compile.js';
import type { PlotBlock, Section } from './section.js';
import { FONT } from './theme.js';

/** PNG resolution of the print figures (dots per inch; one SVG unit is one point). */
export const FIGURE_DPI = 300;

/** One plot as SVG for print, rendered in Node by Vega's headless view (no browser). */
export const figureSvg = async (block: PlotBlock): Promise<string> => {
  const view = new View(parse(compilePlot(block, 'print')), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
};

/** The SVG rasterised at FIGURE_DPI with resvg, with the system's fonts. */
export const figurePng = (svg: string): Uint8Array =>
  new Resvg(svg, {
    fitTo: { mode: 'zoom', value: FIGURE_DPI / 72 },
    font: { loadSystemFonts: true, defaultFontFamily: FONT.split(',')[0].trim() },
    background: 'white',
  })
    .render()
    .asPng();

/** Every plot of the sections as dir/<id>.svg and dir/<id>.png; returns the files written. */
export const writeFigures = async (sections: Section[], dir: string): Promise<string[]> => {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const s of sections)
    for (const b of s.blocks) {
      if (b.kind !== 'plot') continue;
      const svg = await figureSvg(b);
      const svgPath = join(dir, `${b.id}.svg`);
      const pngPath = join(dir, `${b.id}.png`);
      writeFileSync(svgPath, svg);
      writeFileSync(pngPath, figurePng(svg));
      written.push(svgPath, pngPath);
    }
  return written;
};
