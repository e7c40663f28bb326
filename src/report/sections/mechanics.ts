import { num } from '../format.js';
import type { StressStrainView } from '../input-lab.js';
import type { Block, PlotBlock, SectionBuilder } from '../section.js';
import { CATEGORICAL } from '../theme.js';
import { thin, vl } from './common.js';

/**
 * Mechanics: stress-strain curves (`mechanics stress-strain`, the study's mechanics/) with the
 * fitted modulus line over its window, the 0.2 % offset line and the yield point; the elastic
 * constants and Voigt/Reuss/Hill moduli (`mechanics elastic`). The lines are the analysis's fitted
 * model (stress = intercept + E strain) evaluated, nothing refitted.
 */

const MAX_POINTS = 800;

// biome-ignore lint/suspicious/noExplicitAny: an interval as the analysis wrote it (value, low, high)
const interval = (e: any): string =>
  e ? `${num(e.value ?? e.mean)} [${num(e.low ?? e.low95, 2)}, ${num(e.high ?? e.high95, 2)}]` : 'n/a';

const stressStrainPlot = (runs: StressStrainView[]): PlotBlock => {
  const drawn = runs.filter((r) => r.curve);
  const curves = drawn.flatMap((r) =>
    thin(
      r.curve!.strain.map((e, i) => ({ run: r.label, strain: e, stress: r.curve!.stressGPa[i] })),
      MAX_POINTS,
    ),
  );
  const lines: Record<string, unknown>[] = [];
  const marks: Record<string, unknown>[] = [];
  for (const r of runs) {
    const x = r.result;
    const E = x.modulusGPa.value;
    const b = x.interceptGPa ?? 0;
    const w = x.linearWindow;
    // The fitted modulus line over its window.
    for (const e of [w.fromStrain, w.toStrain])
      lines.push({
        run: r.label,
        line: `${r.label} modulus fit`,
        kind: 'modulus',
        strain: e,
        stress: b + E * e,
      });
    // The offset line, from where it crosses zero stress to the yield point (or the window's end x 2).
    if (x.yield) {
      const off = x.yield.offset ?? 0.002;
      const start = off - b / E;
      for (const e of [start, x.yield.strain])
        lines.push({
          run: r.label,
          line: `${r.label} offset`,
          kind: 'offset',
          strain: e,
          stress: b + E * (e - off),
        });
      marks.push({ run: r.label, what: 'yield', strain: x.yield.strain, stress: x.yield.stressGPa });
    }
    marks.push({ run: r.label, what: 'maximum', strain: x.maximum.strain, stress: x.maximum.stressGPa });
  }
  const runNames = runs.map((r) => r.label);
  const colour = {
    field: 'run',
    type: 'nominal',
    title: 'run',
    scale: { domain: runNames, range: CATEGORICAL },
  };
  const x = { field: 'strain', type: 'quantitative', title: 'strain (engineering; shear: γ)' };
  const y = { field: 'stress', type: 'quantitative', title: 'stress (GPa)' };
  return {
    kind: 'plot',
    id: 'stress-strain',
    title: 'Stress-strain with modulus and yield',
    caption:
      'Stress (GPa, positive in tension) against strain, per run. Solid thin line: the fitted modulus over its linear window; dashed: the 0.2 % offset line (the modulus shifted by the offset strain) to the yield point (circle); square: the maximum stress (smoothed). Hover for the values.',
    spec: (size) =>
      vl({
        width: size.width * 1.6,
        height: size.height * 1.2,
        layer: [
          {
            data: { values: curves },
            mark: { type: 'line', strokeWidth: 1, opacity: 0.8, point: { opacity: 0, size: 16 } },
            encoding: {
              x,
              y,
              color: colour,
              tooltip: [
                { field: 'run', type: 'nominal' },
                { field: 'strain', type: 'quantitative', format: '.4f' },
                { field: 'stress', type: 'quantitative', title: 'stress (GPa)', format: '.4~g' },
              ],
            },
          },
          {
            data: { values: lines },
            mark: { type: 'line', strokeWidth: 1.6 },
            encoding: {
              x,
              y,
              color: colour,
              detail: { field: 'line', type: 'nominal' },
              strokeDash: {
                field: 'kind',
                type: 'nominal',
                title: 'line',
                scale: {
                  domain: ['modulus', 'offset'],
                  range: [
                    [1, 0],
                    [5, 3],
                  ],
                },
              },
            },
          },
          {
            data: { values: marks },
            mark: { type: 'point', filled: true, size: 50, stroke: '#000000', strokeWidth: 0.6 },
            encoding: {
              x,
              y,
              color: colour,
              shape: {
                field: 'what',
                type: 'nominal',
                title: 'point',
                scale: { domain: ['yield', 'maximum'], range: ['circle', 'square'] },
              },
              tooltip: [
                { field: 'run', type: 'nominal' },
                { field: 'what', type: 'nominal', title: 'point' },
                { field: 'strain', type: 'quantitative', format: '.4f' },
                { field: 'stress', type: 'quantitative', title: 'stress (GPa)', format: '.4~g' },
              ],
            },
          },
        ],
      }),
  };
};

const stressStrainTable = (runs: StressStrainView[]): Block => ({
  kind: 'table',
  title: 'Stress-strain results',
  caption:
    "Modulus (Young's for tensile, shear for shear runs) with its 95 % interval (respecting the stress's time correlation), the linear window, 0.2 % offset yield, maximum stress, toughness (MJ/m³) and Poisson's ratio [95 %].",
  columns: [
    'run',
    'mode',
    'modulus (GPa) [95 %]',
    'window (strain)',
    'yield stress (GPa)',
    'yield strain',
    'maximum (GPa)',
    'toughness (MJ/m³)',
    "Poisson's ratio [95 %]",
  ],
  rows: runs.map((r) => {
    const x = r.result;
    return [
      r.label,
      r.mode,
      interval(x.modulusGPa),
      `${num(x.linearWindow.fromStrain)}-${num(x.linearWindow.toStrain)}${x.linearWindow.automatic ? ' (automatic)' : ''}`,
      x.yield ? num(x.yield.stressGPa) : 'none (no yield in the range)',
      x.yield ? num(x.yield.strain) : 'n/a',
      num(x.maximum.stressGPa),
      num(x.toughnessMJPerM3),
      x.poissonRatio ? interval(x.poissonRatio) : 'n/a',
    ];
  }),
});

// biome-ignore lint/suspicious/noExplicitAny: the study's direction summaries (study/mechanics.ts)
const directionsTable = (directions: any[]): Block => ({
  kind: 'table',
  title: 'Per direction, mean over replicas',
  caption:
    'Mean over the replicas with a Student-t 95 % interval (two replicas or more; one replica: its value).',
  columns: ['direction', 'replicas', 'modulus (GPa)', 'yield stress (GPa)', 'yield strain', 'maximum (GPa)'],
  rows: directions.map((d) => {
    // biome-ignore lint/suspicious/noExplicitAny: as above
    const m = (v: any) => (v === undefined ? 'n/a' : 'low' in v ? interval(v) : `${num(v.mean)} (1 run)`);
    return [
      d.direction,
      String(d.replicas),
      m(d.modulusGPa),
      m(d.yieldStressGPa),
      m(d.yieldStrain),
      m(d.maximumStressGPa),
    ];
  }),
});

const VOIGT = ['xx', 'yy', 'zz', 'yz', 'xz', 'xy'];

// biome-ignore lint/suspicious/noExplicitAny: the elastic JSON as written (elastic-report.ts)
const elasticBlocks = (e: any): Block[] => [
  {
    kind: 'table',
    title: `Elastic constants C_ij (GPa) of ${String(e.structure).split(/[\\/]/).pop()}`,
    caption: `${e.method}, ${e.forceField}, strain ±${num(e.strain)}; Voigt order ${VOIGT.join(', ')}. ${e.moduli.positiveDefinite ? 'Positive definite (mechanically stable).' : 'NOT positive definite: mechanically unstable.'}`,
    columns: ['', ...VOIGT.map((v, i) => `${i + 1} (${v})`)],
    rows: e.moduli.stiffnessGPa.map((row: number[], i: number) => [
      `${i + 1} (${VOIGT[i]})`,
      ...row.map((v) => num(v, 4)),
    ]),
  },
  {
    kind: 'table',
    title: 'Polycrystal moduli (GPa): Voigt, Reuss and Hill bounds',
    caption:
      'Bulk K, shear G and Young E moduli (GPa) and Poisson ratio of a random polycrystal: Voigt (uniform strain, upper), Reuss (uniform stress, lower), Hill their mean.',
    columns: ['average', 'bulk K', 'shear G', 'Young E', 'Poisson ν'],
    rows: (['voigt', 'reuss', 'hill'] as const).map((k) => [
      k[0].toUpperCase() + k.slice(1),
      num(e.moduli[k].bulkGPa),
      num(e.moduli[k].shearGPa),
      num(e.moduli[k].youngGPa),
      num(e.moduli[k].poissonRatio),
    ]),
  },
  ...(e.warnings?.length || e.moduli.warnings?.length
    ? [
        {
          kind: 'notes' as const,
          title: 'Elastic notes',
          items: [...(e.warnings ?? []), ...(e.moduli.warnings ?? [])],
        },
      ]
    : []),
];

export const mechanicsSection: SectionBuilder = (input) => {
  const lab = input.lab;
  if (!lab?.stressStrain?.length && !lab?.elastic?.length) return undefined;
  const blocks: Block[] = [];
  const runs = lab.stressStrain ?? [];
  if (runs.some((r) => r.curve)) {
    const plot = stressStrainPlot(runs);
    const notes = [
      ...runs.flatMap((r) => (r.missing ? [r.missing] : [])),
      ...runs.flatMap((r) => (r.result.warnings ?? []).map((w: string) => `${r.label}: ${w}`)),
    ];
    blocks.push(notes.length ? { ...plot, notes } : plot);
  }
  if (runs.length) blocks.push(stressStrainTable(runs));
  if (lab.mechanicsDirections?.length) blocks.push(directionsTable(lab.mechanicsDirections));
  for (const e of lab.elastic ?? []) blocks.push(...elasticBlocks(e));
  return {
    id: 'mechanics',
    title: 'Mechanics',
    summary: 'Moduli, yield and elastic constants (GPa).',
    blocks,
  };
};
