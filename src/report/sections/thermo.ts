import { meanInterval } from '../format.js';
import type { Block, SectionBuilder } from '../section.js';
import { temperatureColours } from '../theme.js';
import { reportTemperatures, thin, tLabel, vl } from './common.js';

/** Axis titles on two lines: a rotated title longer than its panel would push the panels apart. */
const QUANTITIES: { column: string; title: string[] }[] = [
  { column: 'temperature_K', title: ['temperature', '(K)'] },
  { column: 'potential_kcal_mol', title: ['potential energy', '(kcal/mol)'] },
  { column: 'pressure_atm', title: ['pressure', '(atm)'] },
  { column: 'density_g_cm3', title: ['density', '(g/cm³)'] },
];

/** Points per stage at most (a long production is thinned evenly for drawing). */
const MAX_POINTS = 300;

/**
 * Thermo traces of every stage on one time line: the shared stages (relax, melt, quench) one after
 * another, then each series branch from their end, coloured by its temperature; a bad run (drift,
 * explosion, a thermostat off target) shows as a trace that leaves its band.
 */
export const thermoSection: SectionBuilder = (input) => {
  if (input.thermo.length === 0) return undefined;
  const shared = 'shared stages';
  const data: Record<string, unknown>[] = [];
  for (const s of input.thermo) {
    const idx = thin(
      s.timePs.map((_, i) => i),
      MAX_POINTS,
    );
    for (const i of idx) {
      const row: Record<string, unknown> = {
        t: s.offsetPs + s.timePs[i],
        stage: s.branchK === undefined ? s.name : `T${s.branchK}K/${s.name}`,
        T: s.branchK === undefined ? shared : tLabel(s.branchK),
      };
      for (const q of QUANTITIES) row[q.column] = s.columns[q.column][i];
      data.push(row);
    }
  }
  const temps = temperatureColours(reportTemperatures(input));
  const domain = [shared, ...temps.domain];
  const range = ['#444444', ...temps.range];
  const boundaries = input.thermo
    .filter((s) => s.branchK === undefined)
    .map((s) => ({ t: s.offsetPs, stage: s.name }));
  const colours = {
    field: 'T',
    type: 'nominal',
    title: 'stage',
    scale: { domain, range },
    sort: domain,
    legend: { orient: 'top', direction: 'horizontal', columns: 6 },
  };
  // Only the bottom panel has a time axis (the panels share it).
  const xAxis = (k: number) =>
    k === QUANTITIES.length - 1
      ? { field: 't', type: 'quantitative', title: 'time (ps)' }
      : { field: 't', type: 'quantitative', axis: null };
  const averages: Block[] = input.stageAverages?.length
    ? [
        {
          kind: 'table',
          title: 'Stage averages',
          caption:
            'Mean of each stage (after any discarded start) with its 95 % interval (block-averaged standard error x 1.96).',
          columns: [
            'stage',
            'target T/K',
            'T/K',
            'potential energy/kcal mol⁻¹',
            'pressure/atm',
            'density/g cm⁻³',
          ],
          rows: input.stageAverages.map((a) => [
            a.stage,
            a.targetTemperatureK === undefined ? '-' : String(a.targetTemperatureK),
            meanInterval(a.temperatureK, 4),
            meanInterval(a.potentialKcalMol, 5),
            meanInterval(a.pressureAtm, 3),
            meanInterval(a.densityGPerCm3, 4),
          ]),
        },
      ]
    : [];
  return {
    id: 'thermo',
    title: 'Thermodynamics of every stage',
    blocks: [
      {
        kind: 'plot',
        id: 'thermo',
        title: 'Thermo traces',
        caption:
          'Instantaneous temperature, potential energy, virial pressure and density against simulation time (ps). Shared stages (grey) run one after another; each series temperature branches from their end. Dotted rules mark where shared stages start. Hover a point for its stage and values.',
        spec: (size) =>
          vl({
            data: { values: data },
            resolve: { scale: { color: 'shared' }, legend: { color: 'shared' } },
            spacing: 6,
            vconcat: QUANTITIES.map((q, k) => ({
              width: size.width * 1.6,
              height: size.height * 0.7,
              layer: [
                {
                  data: { values: boundaries },
                  mark: { type: 'rule', strokeDash: [2, 3], color: '#999' },
                  encoding: { x: xAxis(k) },
                },
                {
                  mark: { type: 'line', strokeWidth: 1, point: { opacity: 0, size: 16 } },
                  encoding: {
                    x: xAxis(k),
                    y: {
                      field: q.column,
                      type: 'quantitative',
                      title: q.title,
                      scale: { zero: false },
                      axis: { format: ',~r', tickCount: 4 },
                    },
                    color: colours,
                    detail: { field: 'stage', type: 'nominal' },
                    tooltip: [
                      { field: 'stage', type: 'nominal' },
                      { field: 't', type: 'quantitative', title: 'time (ps)', format: '.3f' },
                      { field: q.column, type: 'quantitative', title: q.title.join(' '), format: '.4~g' },
                    ],
                  },
                },
              ],
            })),
          }),
      },
      ...averages,
    ],
  };
};
