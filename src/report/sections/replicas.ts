import { extrapolate } from '../../analysis/transport/arrhenius.js';
import { Z95 } from '../../core/statistics.js';
import type { ReplicaSummary } from '../../study/replicas.js';
import { num, withInterval } from '../format.js';
import type { ReportInput } from '../input.js';
import type { Block, Section, SectionBuilder, TableBlock } from '../section.js';
import { fitMembershipLayers, logAxis, temperatureColour, tLabel, vl } from './common.js';

/** Points along 1000/T for the fitted line of the mean D and its band. */
const LINE_POINTS = 60;

const seedList = (seeds: number[]): string => seeds.join(', ');

/** The sentence that says what the single-model sections below are (one model, its intervals only). */
export const singleModelNote = (input: ReportInput): string | undefined => {
  const r = input.replicas;
  if (!r) return undefined;
  const n = r.summary?.seeds.length;
  return `The sections below show one model, seed ${r.shownSeed}${n ? ` of ${n}` : ''} (folder seed${r.shownSeed}/): their intervals are that model's only and leave out the scatter between independent models, which the replica average above includes.`;
};

/** Sections that show the one model of a replica study the report reads (numbers labels its own tables). */
const ONE_MODEL_SECTIONS = new Set(['model', 'thermo', 'msd', 'arrhenius', 'structure', 'structure-3d']);

/**
 * In a replica study's report, a single-model section says which model it shows: its title and its
 * plots' titles (a figure file may travel alone) name the seed.
 */
export const labelOneModel = (input: ReportInput, s: Section): Section => {
  const v = input.replicas;
  const oneModel = ONE_MODEL_SECTIONS.has(s.id) || (s.id === 'scattering' && input.lab?.studyScattering);
  if (!v || !oneModel) return s;
  const tag = `seed ${v.shownSeed}`;
  return {
    ...s,
    title: `${s.title}: one model (${tag})`,
    blocks: s.blocks.map((b) =>
      b.kind === 'plot' || b.kind === 'viewer' ? { ...b, title: `${b.title} (${tag})` } : b,
    ),
  };
};

/** Ea, sigma and D at the extrapolation temperature, the window, the models and each model's Ea. */
export const replicaSummaryTable = (r: ReplicaSummary): TableBlock => {
  const x = r.extrapolation;
  const points = r.fittedTemperaturesK;
  return {
    kind: 'table',
    title: `Replica average of ${r.seeds.length} models`,
    caption: `Values with 95 % intervals in brackets. Ea: the weighted Arrhenius fit of the mean D over the window (weights from the standard errors of the mean D over the models); its interval is the fit’s standard error times ${r.quantile95 !== undefined ? `Student’s t with ${r.seeds.length - 1} degrees of freedom (${r.quantile95.toFixed(3)}), since those standard errors come from ${r.seeds.length} models` : '1.96 (a replicas.json from an older oligolyte)'}. σ and D at the extrapolation temperature: that fit extrapolated, with its propagated interval and the same quantile (σ by Nernst-Einstein).`,
    columns: ['quantity', 'value [95 %]'],
    rows: [
      [
        `Ea (weighted fit of the mean D${r.fit ? `, ${r.fit.points} temperatures` : ''})`,
        `${withInterval(r.activationEv)} eV`,
      ],
      [`σ at ${x.temperatureK} K (extrapolated)`, `${withInterval(x.conductivityMsPerCm)} mS/cm`],
      [`D at ${x.temperatureK} K (extrapolated)`, `${withInterval(x.diffusivityCm2PerS)} cm²/s`],
      [
        'Arrhenius window',
        `${r.windowK[0]}-${r.windowK[1]} K${points ? ` (${points.join(', ')} K fitted)` : ''}`,
      ],
      ['models', `${r.seeds.length} (seeds ${seedList(r.seeds)})`],
      ['Ea per model', r.seeds.map((s, i) => `seed ${s}: ${num(r.perSeedActivationEv[i])} eV`).join('; ')],
    ],
  };
};

/** Per temperature: the mean D and sigma over the models with Student-t intervals and each model's D. */
export const replicaTemperatureTable = (r: ReplicaSummary, species: string): TableBlock => ({
  kind: 'table',
  title: `Mean ${species} transport over the ${r.seeds.length} models, per temperature`,
  caption:
    'Mean over the models with the Student-t 95 % interval of the mean (n - 1 degrees of freedom) in brackets; then each model’s GLS diffusivity.',
  columns: [
    'T/K',
    `mean D(${species})/cm² s⁻¹`,
    'mean σ NE/mS cm⁻¹',
    ...r.seeds.map((s) => `D seed ${s}/cm² s⁻¹`),
  ],
  rows: r.rows.map((row) => [
    String(row.temperatureK),
    withInterval(row.diffusivityCm2PerS),
    withInterval(row.conductivityMsPerCm),
    ...row.perSeedD.map((d) => num(d)),
  ]),
});

/** The replica average's Arrhenius plot of D: mean with intervals, each model faint, the fit and extrapolation. */
const replicaPlot = (input: ReportInput, r: ReplicaSummary, species: string): Block => {
  const fitted = new Set(r.fittedTemperaturesK ?? []);
  const inWindow = (T: number) =>
    r.fittedTemperaturesK ? fitted.has(T) : T >= r.windowK[0] && T <= r.windowK[1];
  const notes: string[] = [];
  if (input.quick) notes.push('--quick study: short runs check the workflow; these numbers are not results.');
  const means = r.rows.map((row) => ({
    T: tLabel(row.temperatureK),
    kelvin: row.temperatureK,
    inv: 1000 / row.temperatureK,
    D: row.diffusivityCm2PerS.value,
    low: row.diffusivityCm2PerS.low95,
    Dhi: row.diffusivityCm2PerS.high95,
    fitted: inWindow(row.temperatureK) ? 'in fit' : 'not fitted',
  }));
  const seedPoints = r.rows.flatMap((row) =>
    row.perSeedD.map((D, i) => ({
      T: tLabel(row.temperatureK),
      inv: 1000 / row.temperatureK,
      D,
      seed: `seed ${r.seeds[i]}`,
    })),
  );
  const ex = r.extrapolation;
  const x = ex.temperatureK;
  const fit = r.fit;
  const Ts = [...(r.fittedTemperaturesK ?? []), x];
  const line = fit
    ? Array.from({ length: LINE_POINTS + 1 }, (_, k) => {
        const tMin = Math.min(...Ts);
        const tMax = Math.max(...Ts);
        const inv = 1000 / tMax + ((1000 / tMin - 1000 / tMax) * k) / LINE_POINTS;
        // The same quantile as the written intervals (Student t over the models; older files: z).
        const e = extrapolate(fit, 1000 / inv, r.quantile95 ?? Z95);
        return { inv, D: e.value, Dlo: e.low95, Dhi: e.high95 };
      })
    : [];
  if (!fit)
    notes.push(
      `${input.replicas?.summaryPath ?? 'replicas.json'} has no fit line (written by an older oligolyte): the fitted line and its band are not drawn; Ea and the extrapolation are as written.`,
    );
  const extrap = [
    {
      inv: 1000 / x,
      D: ex.diffusivityCm2PerS.value,
      low: ex.diffusivityCm2PerS.low95,
      Dhi: ex.diffusivityCm2PerS.high95,
      label: `mean D extrapolated to ${x} K`,
    },
  ];
  // A log axis shows positive values only: what is not positive is said, not dropped silently.
  const positiveMeans = means.filter((p) => p.D > 0);
  const notPositive = means.filter((p) => !(p.D > 0)).map((p) => p.kelvin);
  if (notPositive.length)
    notes.push(`${notPositive.join(', ')} K: the mean D is not positive and is left off the log axis.`);
  const positiveSeeds = seedPoints.filter((p) => p.D > 0);
  const seedsOff = seedPoints.filter((p) => !(p.D > 0)).map((p) => `${p.seed} at ${p.T}`);
  if (seedsOff.length) notes.push(`${seedsOff.join(', ')}: D not positive, left off the log axis.`);
  const axis = logAxis(
    [
      ...positiveMeans.flatMap((p) => [p.D, p.low, p.Dhi]),
      ...positiveSeeds.map((p) => p.D),
      ...line.flatMap((p) => [p.D, p.Dlo, p.Dhi]),
      ...extrap.flatMap((p) => [p.D, p.low, p.Dhi]),
    ].filter((v) => v > 0),
  );
  const bottom = (axis.scale.domain as number[] | undefined)?.[0] ?? 0;
  // An interval reaching zero or below (few models, Student t) is drawn to the axis bottom.
  const bar = <T extends { low: number }>(p: T) => ({ ...p, Dlo: p.low > 0 ? p.low : bottom });
  const meanBars = positiveMeans.map(bar);
  const extrapBars = extrap.filter((p) => p.D > 0).map(bar);
  const open = meanBars.filter((p) => !(p.low > 0)).map((p) => p.kelvin);
  if (open.length)
    notes.push(
      `${open.join(', ')} K: the 95 % interval of the mean reaches zero or below (few models, Student t); its bar is drawn down to the axis bottom.`,
    );
  const xEnc = {
    field: 'inv',
    type: 'quantitative',
    title: '1000/T (1/K)',
    scale: { zero: false, nice: false, padding: 12 },
  };
  const y = {
    field: 'D',
    type: 'quantitative',
    title: `D of ${species} (cm²/s)`,
    scale: axis.scale,
    axis: { ...axis.axis, format: '.0e' },
  };
  const colour = temperatureColour(input);
  const intervalTooltip = [
    { field: 'D', type: 'quantitative', title: 'mean D (cm²/s)', format: '.3~e' },
    { field: 'low', type: 'quantitative', title: '95 % low', format: '.2~e' },
    { field: 'Dhi', type: 'quantitative', title: '95 % high', format: '.2~e' },
  ];
  const layers: Record<string, unknown>[] = [];
  if (line.length)
    layers.push(
      {
        data: { values: line },
        mark: { type: 'area', color: '#7a7a7a', opacity: 0.18 },
        encoding: { x: xEnc, y: { ...y, field: 'Dlo' }, y2: { field: 'Dhi' } },
      },
      {
        data: { values: line },
        mark: { type: 'line', color: '#333', strokeWidth: 1.2 },
        encoding: { x: xEnc, y },
      },
    );
  layers.push(
    {
      data: { values: positiveSeeds },
      mark: { type: 'point', size: 30, strokeWidth: 1, filled: true, color: '#888', opacity: 0.45 },
      encoding: {
        x: xEnc,
        y,
        shape: { field: 'seed', type: 'nominal', title: 'one model', sort: r.seeds.map((s) => `seed ${s}`) },
        tooltip: [
          { field: 'seed', type: 'nominal', title: 'model' },
          { field: 'T', type: 'nominal' },
          { field: 'D', type: 'quantitative', title: 'D (cm²/s)', format: '.3~e' },
        ],
      },
    },
    {
      data: { values: meanBars },
      mark: { type: 'rule', strokeWidth: 1.4 },
      encoding: { x: xEnc, y: { ...y, field: 'Dlo' }, y2: { field: 'Dhi' }, color: colour },
    },
    ...fitMembershipLayers(
      meanBars,
      {
        x: xEnc,
        y,
        color: colour,
        tooltip: [
          { field: 'T', type: 'nominal' },
          ...intervalTooltip,
          { field: 'fitted', type: 'nominal', title: 'Arrhenius fit' },
        ],
      },
      { size: 70, strokeWidth: 1.6 },
    ),
    {
      data: { values: extrapBars },
      mark: { type: 'rule', color: '#000', strokeWidth: 1.2 },
      encoding: { x: xEnc, y: { ...y, field: 'Dlo' }, y2: { field: 'Dhi' } },
    },
    {
      data: { values: extrapBars },
      mark: { type: 'point', shape: 'diamond', size: 80, filled: true, color: '#000' },
      encoding: {
        x: xEnc,
        y,
        tooltip: [{ field: 'label', type: 'nominal', title: 'point' }, ...intervalTooltip],
      },
    },
  );
  return {
    kind: 'plot',
    id: 'replica-arrhenius',
    title: `Replica average: D of ${species} over ${r.seeds.length} models`,
    caption: `Circles: the mean GLS diffusivity D over the ${r.seeds.length} models (seeds ${seedList(r.seeds)}) at each temperature with its Student-t 95 % interval; filled circles are in the fit (${r.windowK[0]}-${r.windowK[1]} K). Faint grey marks: each model’s D (shape by seed). ${fit ? 'Line and grey band: the weighted Arrhenius fit of the mean D and its 95 % band; ' : ''}black diamond: the extrapolation to ${x} K with its interval.`,
    notes,
    spec: (size) =>
      vl({
        width: size.width,
        height: size.height,
        layer: layers,
      }),
  };
};

/**
 * The replica average of a study of several independent models (replicas.json): the result of such
 * a study. Its Arrhenius plot of the mean D, the table of Ea and the extrapolated sigma and D with
 * their intervals, the per-temperature means, and the sentence that the sections below are one model.
 */
export const replicaSection: SectionBuilder = (input) => {
  const v = input.replicas;
  if (!v) return undefined;
  const species = input.transport?.runs[0]?.result.species ?? 'Li';
  const r = v.summary;
  if (!r)
    return {
      id: 'replicas',
      title: 'Replica average (not yet written)',
      blocks: [
        {
          kind: 'notes',
          title: 'A study of several models, not finished',
          items: [
            `Models finished so far: seeds ${seedList(v.seedsDone)}. The replica average (${v.summaryPath}) is written when every model is done; until then this report has no result over the models.`,
            singleModelNote(input)!,
          ],
        },
      ],
    };
  const ex = r.extrapolation;
  return {
    id: 'replicas',
    title: `Replica average over ${r.seeds.length} models`,
    summary: `Ea = ${withInterval(r.activationEv)} eV; at ${ex.temperatureK} K σ = ${withInterval(ex.conductivityMsPerCm)} mS/cm, D = ${withInterval(ex.diffusivityCm2PerS)} cm²/s (95 %, ${r.seeds.length} models, seeds ${seedList(r.seeds)}, fit ${r.windowK[0]}-${r.windowK[1]} K).`,
    blocks: [
      { kind: 'notes', title: 'The result is this average', items: [singleModelNote(input)!] },
      replicaPlot(input, r, species),
      replicaSummaryTable(r),
      replicaTemperatureTable(r, species),
    ],
  };
};
