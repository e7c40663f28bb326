import { extrapolate } from '../../analysis/transport/arrhenius.js';
import { meanInterval, num, withInterval } from '../format.js';
import type { Block, SectionBuilder } from '../section.js';
import { logAxis, temperatureColour, thin, tLabel, vl } from './common.js';

const arr = (x: ArrayLike<number> | undefined): number[] => (x ? Array.from(x) : []);

/**
 * The structure of every production run (study.json's structure rows): the Li-X g(r) with the
 * cut-offs used, Li environment populations against T, the Al-O-Al angle and Cl-Al...Al-Cl
 * dihedral distributions (raw and filtered), the dihedral jump rate with its Arrhenius fit, and a
 * table of the numbers.
 */
export const structureSection: SectionBuilder = (input) => {
  const rows = input.structure;
  if (!rows?.length) return undefined;
  const colour = temperatureColour(input);
  const blocks: Block[] = [];
  const centre = rows[0].environments.result.centre;

  // g(r) of each centre-neighbour pair, one panel per pair.
  const pairs = rows[0].environments.cutoffs.pairs.map((p) => p.pair);
  const gData: Record<string, unknown>[] = [];
  const cutoffs: Record<string, unknown>[] = [];
  for (const row of rows) {
    const c = row.environments.cutoffs;
    const r = arr(c.rA);
    for (const p of c.pairs) {
      const g = arr(p.g);
      for (let i = 0; i < r.length; i++)
        gData.push({ T: tLabel(row.temperatureK), pair: p.pair, r: r[i], g: g[i] });
      cutoffs.push({ T: tLabel(row.temperatureK), pair: p.pair, cut: p.cutoffA });
    }
  }
  blocks.push({
    kind: 'plot',
    id: 'environment-rdf',
    title: `${centre} pair distribution functions`,
    panels: pairs.length,
    caption: `g(r) of each ${centre}-X pair over the production frames (MDAnalysis InterRDF normalisation); dotted rules: the coordination cut-off used (the first minimum unless the study file gives one).`,
    spec: (size) =>
      vl({
        hconcat: pairs.map((pair) => ({
          width: size.width * 0.8,
          height: size.height,
          title: pair,
          layer: [
            {
              data: { values: gData.filter((d) => d.pair === pair) },
              mark: { type: 'line', point: { opacity: 0, size: 16 } },
              encoding: {
                x: { field: 'r', type: 'quantitative', title: 'r (Å)' },
                y: { field: 'g', type: 'quantitative', title: 'g(r)' },
                color: colour,
                tooltip: [
                  { field: 'T', type: 'nominal' },
                  { field: 'r', type: 'quantitative', title: 'r (Å)', format: '.2f' },
                  { field: 'g', type: 'quantitative', title: 'g(r)', format: '.3f' },
                ],
              },
            },
            {
              data: { values: cutoffs.filter((d) => d.pair === pair) },
              mark: { type: 'rule', strokeDash: [2, 2] },
              encoding: { x: { field: 'cut', type: 'quantitative' }, color: colour },
            },
          ],
        })),
        resolve: { scale: { color: 'shared' } },
      }),
  });

  // Environment populations (NMR classes) against T, 95 % intervals from block-averaged errors.
  const pops: Record<string, unknown>[] = [];
  for (const row of rows)
    for (const s of row.environments.result.nmrClasses.states) {
      const m = s.population.mean;
      const e = 1.96 * (s.population.standardError ?? 0);
      pops.push({ T: row.temperatureK, env: s.name, p: m, lo: Math.max(0, m - e), hi: Math.min(1, m + e) });
    }
  const xT = {
    field: 'T',
    type: 'quantitative',
    title: 'temperature (K)',
    scale: { zero: false, padding: 12 },
  };
  const envColour = { field: 'env', type: 'nominal', title: `${centre} environment` };
  blocks.push({
    kind: 'plot',
    id: 'environments',
    title: `${centre} environment populations against temperature`,
    caption: `Fraction of ${centre} in each NMR class (neighbours within the cut-offs, with hysteresis); bars: 95 % intervals from block-averaged standard errors.`,
    spec: (size) =>
      vl({
        width: size.width,
        height: size.height,
        data: { values: pops },
        layer: [
          {
            mark: { type: 'rule' },
            encoding: {
              x: xT,
              y: { field: 'lo', type: 'quantitative' },
              y2: { field: 'hi' },
              color: envColour,
            },
          },
          {
            mark: { type: 'line', point: { filled: true, size: 50 } },
            encoding: {
              x: xT,
              y: { field: 'p', type: 'quantitative', title: 'fraction', scale: { domain: [0, 1] } },
              color: envColour,
              tooltip: [
                { field: 'env', type: 'nominal', title: 'environment' },
                { field: 'T', type: 'quantitative', title: 'T (K)' },
                { field: 'p', type: 'quantitative', title: 'fraction', format: '.3f' },
                { field: 'lo', type: 'quantitative', title: '95 % low', format: '.3f' },
                { field: 'hi', type: 'quantitative', title: '95 % high', format: '.3f' },
              ],
            },
          },
        ],
      }),
  });

  // Dihedral distributions, raw and filtered; the Al-O-Al angle.
  const hist = (key: 'dihedralHistogram' | 'filteredDihedralHistogram' | 'angleHistogram') =>
    rows.flatMap((row) => {
      const h = row.conformations[key];
      const c = arr(h.centresDeg);
      const d = arr(h.densityPerDeg);
      return c.map((x, i) => ({ T: tLabel(row.temperatureK), x, d: d[i] }));
    });
  const histPanel = (
    values: unknown[],
    title: string,
    xTitle: string,
    size: { width: number; height: number },
  ) => ({
    width: size.width * 0.8,
    height: size.height,
    title,
    data: { values },
    mark: { type: 'line', interpolate: 'step', point: { opacity: 0, size: 16 } },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: xTitle },
      y: { field: 'd', type: 'quantitative', title: 'probability density (1/deg)' },
      color: colour,
      tooltip: [
        { field: 'T', type: 'nominal' },
        { field: 'x', type: 'quantitative', title: xTitle, format: '.1f' },
        { field: 'd', type: 'quantitative', title: 'density (1/deg)', format: '.3~g' },
      ],
    },
  });
  const c0 = rows[0].conformations;
  blocks.push({
    kind: 'plot',
    id: 'dihedrals',
    title: 'Cl-Al···Al-Cl dihedral distributions, raw and filtered',
    panels: 2,
    caption: `Folded dihedral of every Al-O-Al link over the production frames: raw, and low-pass filtered (cut-off ${num(c0.cutoffTHz)} THz) so that vibrations are removed and only conformational jumps remain; eclipsed below ${c0.eclipsedBelowDeg} deg, staggered above ${c0.staggeredAboveDeg} deg.`,
    spec: (size) =>
      vl({
        hconcat: [
          histPanel(hist('dihedralHistogram'), 'raw', 'dihedral (deg)', size),
          histPanel(hist('filteredDihedralHistogram'), 'filtered', 'dihedral (deg)', size),
        ],
        resolve: { scale: { color: 'shared' } },
      }),
  });
  const tr = input.dihedralTraces;
  if (tr?.traces.length) {
    // At most 600 frames per link are drawn (a long production is thinned evenly).
    const traceData = tr.traces.flatMap((t) =>
      thin(
        t.timePs.map((_, f) => f),
        600,
      ).flatMap((f) => [
        { link: `link ${t.link}`, series: 'raw', t: t.timePs[f], d: t.rawDeg[f] },
        { link: `link ${t.link}`, series: 'filtered', t: t.timePs[f], d: t.filteredDeg[f] },
      ]),
    );
    const last = tr.traces.length - 1;
    blocks.push({
      kind: 'plot',
      id: 'dihedral-traces',
      title: `Dihedral traces at ${tr.temperatureK} K, raw and filtered`,
      caption: `The folded Cl-Al···Al-Cl dihedral (deg) of ${tr.shown} of the ${tr.links} Al-O-Al links frame by frame at ${tr.temperatureK} K: raw (light) and low-pass filtered (dark; cut-off ${num(c0.cutoffTHz)} THz). Dashed: the eclipsed (${c0.eclipsedBelowDeg} deg) and staggered (${c0.staggeredAboveDeg} deg) bounds; a jump is a filtered crossing from one to the other. Every link: structure/T${tr.temperatureK}K-dihedrals.csv.`,
      spec: (size) =>
        vl({
          data: { values: traceData },
          spacing: 4,
          resolve: { scale: { color: 'shared' }, legend: { color: 'shared' } },
          vconcat: tr.traces.map((t, k) => ({
            width: size.width * 1.6,
            height: size.height * 0.6,
            transform: [{ filter: `datum.link === 'link ${t.link}'` }],
            layer: [
              {
                data: { values: [{ y: c0.eclipsedBelowDeg }, { y: c0.staggeredAboveDeg }] },
                mark: { type: 'rule', strokeDash: [3, 3], color: '#999' },
                encoding: { y: { field: 'y', type: 'quantitative' } },
              },
              {
                mark: { type: 'line', point: { opacity: 0, size: 16 } },
                encoding: {
                  x:
                    k === last
                      ? { field: 't', type: 'quantitative', title: 'time (ps)' }
                      : { field: 't', type: 'quantitative', axis: null },
                  y: {
                    field: 'd',
                    type: 'quantitative',
                    title: `link ${t.link} (deg)`,
                    scale: { domain: [0, 60] },
                    axis: { values: [0, 20, 40, 60] },
                  },
                  color: {
                    field: 'series',
                    type: 'nominal',
                    title: 'dihedral',
                    scale: { domain: ['raw', 'filtered'], range: ['#9ecae1', '#08306b'] },
                    legend: { orient: 'top' },
                  },
                  tooltip: [
                    { field: 'link', type: 'nominal' },
                    { field: 'series', type: 'nominal' },
                    { field: 't', type: 'quantitative', title: 'time (ps)', format: '.2f' },
                    { field: 'd', type: 'quantitative', title: 'dihedral (deg)', format: '.1f' },
                  ],
                },
              },
            ],
          })),
        }),
    });
  }
  blocks.push({
    kind: 'plot',
    id: 'al-o-al',
    title: 'Al-O-Al angle distribution',
    caption: 'Al-O-Al bond angle of the oligomer links over the production frames.',
    spec: (size) =>
      vl(
        histPanel(hist('angleHistogram'), '', 'Al-O-Al angle (deg)', {
          width: size.width / 0.8,
          height: size.height,
        }),
      ),
  });

  // Jump rates against 1000/T with the Arrhenius fit of the pooled rates.
  const ja = input.jumpRateArrhenius;
  const jumps = rows.map((row) => {
    const r = row.conformations.pooled.ratePerNs;
    return {
      T: tLabel(row.temperatureK),
      inv: 1000 / row.temperatureK,
      rate: r.value,
      lo: Math.max(r.low95, r.value * 1e-2),
      hi: r.high95,
      jumps: row.conformations.pooled.jumps,
    };
  });
  const positive = jumps.filter((j) => j.rate > 0);
  if (positive.length) {
    const line: Record<string, unknown>[] = [];
    if (ja?.fit) {
      const Ts = ja.fittedK;
      const a = 1000 / Math.max(...Ts);
      const b = 1000 / Math.min(...Ts);
      for (let k = 0; k <= 40; k++) {
        const inv = a + ((b - a) * k) / 40;
        const e = extrapolate(ja.fit, 1000 / inv);
        line.push({ inv, rate: e.value, lo: e.low95, hi: e.high95 });
      }
    }
    const xInv = {
      field: 'inv',
      type: 'quantitative',
      title: '1000/T (1/K)',
      scale: { zero: false, padding: 12 },
    };
    const log = logAxis([
      ...positive.flatMap((p) => [p.lo, p.hi]),
      ...line.flatMap((l) => [l.lo as number, l.hi as number]),
    ]);
    const y = {
      field: 'rate',
      type: 'quantitative',
      title: ['dihedral jumps', 'per link per ns'],
      scale: log.scale,
      axis: { ...log.axis, format: '~g' },
    };
    blocks.push({
      kind: 'plot',
      id: 'jump-rates',
      title: 'Dihedral jump rate against 1000/T',
      caption: `Eclipsed-staggered jumps per Al-O-Al link per ns, pooled over the links, with 95 % Poisson intervals${ja?.fit ? `; line and band: the Arrhenius fit weighted by the counts, Ea = ${withInterval(ja.fit.activationEv)} eV` : ''}.`,
      notes: ja?.notes,
      spec: (size) =>
        vl({
          width: size.width,
          height: size.height,
          layer: [
            {
              data: { values: line },
              mark: { type: 'area', color: '#7a7a7a', opacity: 0.18 },
              encoding: { x: xInv, y: { ...y, field: 'lo' }, y2: { field: 'hi' } },
            },
            { data: { values: line }, mark: { type: 'line', color: '#333' }, encoding: { x: xInv, y } },
            {
              data: { values: positive },
              mark: 'rule',
              encoding: {
                x: xInv,
                y: { ...y, field: 'lo' },
                y2: { field: 'hi' },
                color: colour,
              },
            },
            {
              data: { values: positive },
              mark: { type: 'point', filled: true, size: 60 },
              encoding: {
                x: xInv,
                y,
                color: colour,
                tooltip: [
                  { field: 'T', type: 'nominal' },
                  { field: 'rate', type: 'quantitative', title: 'jumps/link/ns', format: '.3~g' },
                  { field: 'lo', type: 'quantitative', title: '95 % low', format: '.3~g' },
                  { field: 'hi', type: 'quantitative', title: '95 % high', format: '.3~g' },
                  { field: 'jumps', type: 'quantitative', title: 'jumps counted' },
                ],
              },
            },
          ],
        }),
    });
  }

  const classNames = rows[0].environments.result.nmrClasses.states.map((s) => s.name);
  blocks.push({
    kind: 'table',
    title: 'Structure of the production runs',
    caption: 'Means with 95 % intervals (block-averaged standard errors x 1.96; Poisson for jump rates).',
    columns: [
      'T/K',
      `CN(${centre})`,
      ...classNames,
      'Al-O-Al/deg (mean ± sd)',
      'eclipsed fraction',
      'jumps/link/ns',
      'oligomers',
    ],
    rows: rows.map((row) => {
      const e = row.environments.result;
      const cf = row.conformations;
      return [
        String(row.temperatureK),
        meanInterval(e.meanCoordination),
        ...classNames.map((n) => {
          const s = e.nmrClasses.states.find((x) => x.name === n);
          return s ? meanInterval(s.population, 2) : 'n/a';
        }),
        `${num(cf.angleMeanDeg, 4)} ± ${num(cf.angleSdDeg, 2)}`,
        num(cf.eclipsedFraction, 2),
        withInterval({ ...cf.pooled.ratePerNs, std: Number.NaN }),
        row.topology.verdict.text,
      ];
    }),
  });
  if (ja?.fit)
    blocks.push({
      kind: 'table',
      title: 'Dihedral jump rate Arrhenius fit',
      columns: ['quantity', 'value [95 %]'],
      rows: [
        ['Ea', `${withInterval(ja.fit.activationEv)} eV`],
        ['temperatures fitted', `${ja.fittedK.join(', ')} K`],
        ...(ja.at300K ? [['rate at 300 K', `${withInterval(ja.at300K)} per link per ns`]] : []),
      ],
    });
  return { id: 'structure', title: 'Structure of the production runs', blocks };
};
