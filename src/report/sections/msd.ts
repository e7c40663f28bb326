import type { SectionBuilder } from '../section.js';
import { groupNotes, logAxis, temperatureColour, thin, tLabel, vl } from './common.js';

/** 1 cm^2/s in A^2/ps: 1e16 A^2 / 1e12 ps. */
const A2_PER_PS_PER_CM2_PER_S = 1e4;
/** Drawn MSD points per temperature at most. */
const MAX_POINTS = 600;

/**
 * MSD against lag per temperature, linear and log-log, with each temperature's fitted line
 * MSD = intercept + 2 d D t (GLS, drawn over its fit window) and the window shaded when every
 * temperature shares it. On the log-log panel a slope of 1 is diffusive; a flatter curve is caged.
 */
export const msdSection: SectionBuilder = (input) => {
  const runs = input.transport?.runs.filter((r) => r.msd && r.msd.lagPs.length > 1) ?? [];
  if (runs.length === 0) return undefined;
  const species = runs[0].result.species;
  const points: Record<string, unknown>[] = [];
  const fits: Record<string, unknown>[] = [];
  for (const r of runs) {
    const idx = thin(
      r.msd!.lagPs.map((_, i) => i).filter((i) => r.msd!.lagPs[i] > 0),
      MAX_POINTS,
    );
    for (const i of idx)
      points.push({ T: tLabel(r.temperatureK), lag: r.msd!.lagPs[i], msd: r.msd!.msdA2[i] });
    const d = r.result.diffusivity;
    const slope = 2 * d.dimensions * d.glsCm2PerS.value * A2_PER_PS_PER_CM2_PER_S;
    const n = 40;
    for (let k = 0; k <= n; k++) {
      // Log-spaced so the line is smooth on both panels.
      const lag = d.fitStartPs * (d.fitEndPs / d.fitStartPs) ** (k / n);
      fits.push({ T: tLabel(r.temperatureK), lag, msd: d.interceptA2.value + slope * lag });
    }
  }
  const windows = new Set(
    runs.map((r) => `${r.result.diffusivity.fitStartPs},${r.result.diffusivity.fitEndPs}`),
  );
  const shared = windows.size === 1;
  const window = shared
    ? [{ start: runs[0].result.diffusivity.fitStartPs, end: runs[0].result.diffusivity.fitEndPs }]
    : [];
  const colour = temperatureColour(input);
  const xLog = logAxis(points.map((p) => p.lag as number));
  const yLog = logAxis(points.map((p) => p.msd as number));
  const logged = (l: ReturnType<typeof logAxis>) => ({ scale: l.scale, axis: { ...l.axis, format: '~g' } });
  const panel = (log: boolean, size: { width: number; height: number }) => {
    const x = { field: 'lag', type: 'quantitative', title: 'lag time (ps)', ...(log ? logged(xLog) : {}) };
    const y = {
      field: 'msd',
      type: 'quantitative',
      title: `MSD of ${species} (Å²)`,
      ...(log ? logged(yLog) : {}),
    };
    return {
      width: size.width,
      height: size.height,
      title: log ? 'log-log' : 'linear',
      layer: [
        {
          data: { values: window },
          mark: { type: 'rect', color: '#000', opacity: 0.06 },
          encoding: { x: { field: 'start', type: 'quantitative' }, x2: { field: 'end' } },
        },
        {
          data: { values: points },
          mark: { type: 'line', point: { opacity: 0, size: 20 } },
          encoding: {
            x,
            y,
            color: colour,
            tooltip: [
              { field: 'T', type: 'nominal' },
              { field: 'lag', type: 'quantitative', title: 'lag (ps)', format: '.4~g' },
              { field: 'msd', type: 'quantitative', title: 'MSD (Å²)', format: '.4~g' },
            ],
          },
        },
        {
          data: { values: fits },
          mark: { type: 'line', strokeDash: [5, 3], strokeWidth: 1.2, opacity: 0.9 },
          encoding: { x, y, color: colour },
        },
      ],
    };
  };
  const notes = groupNotes(
    runs.flatMap((r) => r.result.notes.map((note) => ({ temperatureK: r.temperatureK, note }))),
  );
  return {
    id: 'msd',
    title: `Mean squared displacement of ${species}`,
    blocks: [
      {
        kind: 'plot',
        id: 'msd',
        title: `MSD of ${species} against lag time`,
        panels: 2,
        caption: `Solid: the tracer MSD (all time origins, drift removed). Dashed: the generalised least-squares fit MSD = intercept + ${2 * runs[0].result.diffusivity.dimensions} D t over its fit window${shared ? ' (shaded)' : ''}. On the log-log panel a slope of 1 is diffusive motion; a flatter slope is caged (sub-diffusive).`,
        notes,
        spec: (size) =>
          vl({
            hconcat: [panel(false, size), panel(true, size)],
            resolve: { scale: { color: 'shared' } },
          }),
      },
    ],
  };
};
