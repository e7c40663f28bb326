import type { Config } from 'vega-lite';

/**
 * Styling shared by every plot: fonts, sizes and the colours of temperatures. The screen theme is
 * for the HTML page; the print theme for figures/ (8-9 pt text at a journal column's width, one
 * pt per SVG unit).
 */
export type Medium = 'screen' | 'print';

/** Fonts in the order a renderer tries them (resvg picks the first installed). */
export const FONT = 'Liberation Sans, Arial, Helvetica, DejaVu Sans, sans-serif';

export const plotConfig = (medium: Medium): Config => {
  const print = medium === 'print';
  const size = print ? 8 : 13;
  return {
    font: FONT,
    background: 'white',
    padding: print ? 4 : 8,
    autosize: { type: 'pad' },
    title: { fontSize: size + 1, fontWeight: 'bold', anchor: 'start', offset: print ? 4 : 8 },
    axis: {
      labelFontSize: size,
      titleFontSize: size,
      titleFontWeight: 'normal',
      gridColor: '#e6e6e6',
      tickColor: '#444',
      domainColor: '#444',
      labelColor: '#222',
      titleColor: '#222',
      labelOverlap: true,
      labelFlush: false,
    },
    legend: {
      labelFontSize: size,
      titleFontSize: size,
      titleFontWeight: 'normal',
      symbolSize: print ? 40 : 80,
    },
    header: { labelFontSize: size, titleFontSize: size },
    view: { stroke: '#bbb' },
    line: { strokeWidth: print ? 1 : 1.6 },
    point: { size: print ? 18 : 40 },
  };
};

/** Panel sizes: screen px; print pt (a single column is about 85 mm = 241 pt wide). */
export const panelSize = (medium: Medium) =>
  medium === 'print' ? { width: 145, height: 110 } : { width: 420, height: 270 };

/**
 * A colour per temperature, cold blue to hot red, the same in every plot of a report: colours are
 * spread over the report's whole temperature list (ColorBrewer RdYlBu, reversed, light middle
 * shades left out so every line is visible on white).
 */
const RAMP = ['#313695', '#4575b4', '#74add1', '#5aae61', '#e0a526', '#f46d43', '#d73027', '#a50026'];

export const temperatureColours = (temperaturesK: number[]): { domain: string[]; range: string[] } => {
  const ts = [...new Set(temperaturesK)].sort((a, b) => a - b);
  const domain = ts.map(temperatureLabel);
  const range = ts.map((_, i) =>
    ts.length === 1 ? RAMP[0] : RAMP[Math.round((i * (RAMP.length - 1)) / (ts.length - 1))],
  );
  return { domain, range };
};

export const temperatureLabel = (t: number): string => `${t} K`;

/** Categorical colours (units of the 3-D view, stages, pairs). */
export const CATEGORICAL = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];
