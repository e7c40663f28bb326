import type { TopLevelSpec } from 'vega-lite';
import type { ReportInput } from '../input.js';
import { temperatureColours, temperatureLabel } from '../theme.js';

/** Every temperature the report shows, for one colour scale across all its plots. */
export const reportTemperatures = (input: ReportInput): number[] => [
  ...new Set([
    ...(input.transport?.runs.map((r) => r.temperatureK) ?? []),
    ...(input.structure?.map((r) => r.temperatureK) ?? []),
    ...input.thermo.flatMap((s) => (s.branchK === undefined ? [] : [s.branchK])),
  ]),
];

/** The colour encoding of temperature (the `T` field holds "300 K" labels). */
export const temperatureColour = (input: ReportInput, title = 'T') => {
  const { domain, range } = temperatureColours(reportTemperatures(input));
  return { field: 'T', type: 'ordinal', title, scale: { domain, range }, sort: domain };
};

export const tLabel = temperatureLabel;

/** A Vega-Lite spec from a plain object (the builders assemble specs as data). */
export const vl = (spec: Record<string, unknown>): TopLevelSpec => spec as unknown as TopLevelSpec;

/** At most `max` points of a series, evenly strided (always keeping the last). */
export const thin = <T>(xs: T[], max: number): T[] => {
  if (xs.length <= max) return xs;
  const step = xs.length / max;
  const out: T[] = [];
  for (let k = 0; k < max - 1; k++) out.push(xs[Math.floor(k * step)]);
  out.push(xs[xs.length - 1]);
  return out;
};

/**
 * Notes from several temperatures, each once: a note raised at several temperatures lists them
 * ("300, 400 K: ...").
 */
export const groupNotes = (notes: { temperatureK: number; note: string }[]): string[] => {
  const byNote = new Map<string, number[]>();
  for (const { temperatureK, note } of notes) {
    const ts = byNote.get(note) ?? [];
    if (!ts.includes(temperatureK)) ts.push(temperatureK);
    byNote.set(note, ts);
  }
  return [...byNote].map(([note, ts]) => `${ts.join(', ')} K: ${note}`);
};

/**
 * A log axis over these values: the domain just around them, and tick values in 1-2-5 steps when
 * they span fewer than three decades, else the powers of ten (Vega's own log ticks crowd the axis).
 */
export const logAxis = (
  values: number[],
): { scale: Record<string, unknown>; axis: Record<string, unknown> } => {
  const v = values.filter((x) => x > 0 && Number.isFinite(x));
  if (v.length === 0) return { scale: { type: 'log' }, axis: {} };
  const min = Math.min(...v) / 1.2;
  const max = Math.max(...v) * 1.2;
  const lo = Math.floor(Math.log10(min));
  const hi = Math.ceil(Math.log10(max));
  const steps = hi - lo <= 3 ? [1, 2, 5] : [1];
  const ticks: number[] = [];
  for (let e = lo; e <= hi; e++)
    for (const s of steps) {
      const t = Number((s * 10 ** e).toPrecision(2));
      if (t >= min && t <= max) ticks.push(t);
    }
  return { scale: { type: 'log', domain: [min, max], nice: false }, axis: { values: ticks, grid: true } };
};

/**
 * Arrhenius points filled where the fit used them and hollow where it did not: one layer each,
 * since a Vega-Lite mark's `filled` cannot follow a field. `values` carry fitted: 'in fit' | ...
 */
export const fitMembershipLayers = (
  values: { fitted: string }[],
  encoding: Record<string, unknown>,
  style: { size: number; strokeWidth: number },
) =>
  [true, false].map((inFit) => ({
    data: { values: values.filter((p) => (p.fitted === 'in fit') === inFit) },
    mark: {
      type: 'point',
      shape: 'circle',
      ...style,
      opacity: 1,
      filled: inFit,
      ...(inFit ? {} : { fill: 'white' }),
    },
    encoding,
  }));
