import { num } from '../format.js';
import { type ProtocolStageRecord, seriesStageSteps } from '../input.js';
import type { Block, SectionBuilder } from '../section.js';

/** Counts of each element in order of first appearance: "Li24 Al24 O16 Cl64". */
const composition = (symbols: string[]): string => {
  const counts = new Map<string, number>();
  for (const s of symbols) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts].map(([e, n]) => `${e}${n}`).join(' ');
};

/** Lengths (A) and angles (deg) of the cell vectors given as rows. */
const cellText = (m: number[]): string => {
  const v = [m.slice(0, 3), m.slice(3, 6), m.slice(6, 9)];
  const len = v.map((x) => Math.hypot(x[0], x[1], x[2]));
  const ang = (i: number, j: number) =>
    (Math.acos((v[i][0] * v[j][0] + v[i][1] * v[j][1] + v[i][2] * v[j][2]) / (len[i] * len[j])) * 180) /
    Math.PI;
  return `a, b, c = ${len.map((l) => l.toFixed(3)).join(', ')} A; alpha, beta, gamma = ${[ang(1, 2), ang(0, 2), ang(0, 1)].map((a) => a.toFixed(1)).join(', ')} deg`;
};

const stageRow = (s: ProtocolStageRecord, branch?: string): string[] => [
  branch ? `${branch}/${s.name}` : s.name,
  s.ensemble,
  branch ? 'series' : String(s.temperatureK),
  String(s.timeStepFs),
  String(s.steps),
  num((s.steps * s.timeStepFs) / 1000),
  s.dumpEvery ? String(s.dumpEvery) : '-',
];

/** The model: composition, cell, density, force field, protocol and timings. */
export const modelSection: SectionBuilder = (input) => {
  if (input.kind !== 'study') return undefined;
  const blocks: Block[] = [];
  const facts: string[][] = [
    [
      'study',
      `${input.name}${input.quick ? ' (--quick: short runs, a check of the workflow, not results)' : ''}`,
    ],
  ];
  const r = input.replicas;
  if (r)
    facts.push([
      'model seed',
      `${r.shownSeed}: one of ${r.summary ? `the ${r.summary.seeds.length} models (seeds ${r.summary.seeds.join(', ')})` : `the models finished so far (seeds ${r.seedsDone.join(', ')})`}, the one the sections below the replica average show`,
    ]);
  if (input.model) {
    facts.push(['atoms', String(input.model.symbols.length)]);
    facts.push(['composition', composition(input.model.symbols)]);
    if (input.model.cell.length === 9) facts.push(['cell', cellText(input.model.cell)]);
  }
  const rows = input.transport?.runs ?? [];
  if (rows.length) {
    facts.push(['cell volume (production, mean)', `${num(rows[0].result.volumeA3, 5)} A^3`]);
    facts.push([
      'density (production runs, mean)',
      rows.map((r) => `${r.temperatureK} K: ${num(r.densityGPerCm3, 4)} g/cm3`).join('; '),
    ]);
    facts.push([
      'transported species',
      `${rows[0].result.species} (${rows[0].result.carriers} atoms, charge ${rows[0].result.charge})`,
    ]);
  }
  const p = input.protocol;
  if (p) {
    facts.push(['force field', p.forcefield ?? 'n/a']);
    facts.push(['engine', p.engine ?? 'n/a']);
    // The protocol's seed draws the velocities and the Langevin noise; the model's seed packs it.
    if (p.seed !== undefined) facts.push(['MD seed (velocities, thermostat)', String(p.seed)]);
  }
  const t = input.study?.timingsS;
  if (t)
    facts.push([
      'wall time on this machine',
      `run ${num(t.run)} s, transport analysis ${num(t.transport)} s, structure analysis ${num(t.structure)} s`,
    ]);
  blocks.push({ kind: 'table', title: 'Model', columns: ['', ''], rows: facts });
  if (p) {
    const stageRows = p.stages.map((s) => stageRow(s));
    const series = p.series;
    if (series?.stepsPerTemperature)
      // Times differ between temperatures: one row per temperature and stage.
      for (const T of series.temperaturesK)
        series.stages.forEach((s, k) => {
          stageRows.push(stageRow({ ...s, steps: seriesStageSteps(series, T, k) }, `T${T}K`));
        });
    else if (series)
      for (const s of series.stages) stageRows.push(stageRow(s, `T in ${series.temperaturesK.join(', ')} K`));
    blocks.push({
      kind: 'table',
      title: 'Protocol',
      caption: p.series?.parallel ? `series temperatures ${p.series.parallel} at a time` : undefined,
      columns: ['stage', 'ensemble', 'T/K', 'time step/fs', 'steps', 'time/ps', 'frame every (steps)'],
      rows: stageRows,
    });
  }
  return { id: 'model', title: 'Model and protocol', blocks };
};
