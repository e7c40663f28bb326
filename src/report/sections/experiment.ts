import { num } from '../format.js';
import type { Block, PlotBlock, SectionBuilder } from '../section.js';
import { CATEGORICAL, temperatureColours } from '../theme.js';
import { logAxis, vl } from './common.js';

/**
 * Experiment: impedance spectra with their fitted circuits (`eis fit`, and each spectrum of `eis
 * arrhenius` fitted with a circuit) as Nyquist and Bode plots, Lin-KK residuals per frequency
 * (`eis kk`), and the measured Arrhenius plot of sigma T with its fit (`eis arrhenius`). The data
 * points are the fit plus its residual (the JSON gives the fit and data minus fit); the fitted
 * line is the analysis's, and the Arrhenius line its fitted ln(sigma T) = intercept + slope / T.
 */

const fileName = (f: string): string => String(f).split(/[\\/]/).pop() ?? String(f);

interface Spectrum {
  label: string;
  circuit: string;
  f: number[];
  dataRe: number[];
  dataIm: number[];
  fitRe: number[];
  fitIm: number[];
}

// biome-ignore lint/suspicious/noExplicitAny: an eis fit run as written (eis-report.ts)
const spectrumOf = (run: any, label: string): Spectrum => {
  const fit = run.fit;
  return {
    label,
    circuit: fit.circuit,
    f: fit.frequencyHz,
    dataRe: fit.fitReOhm.map((v: number, i: number) => v + fit.residualReOhm[i]),
    dataIm: fit.fitImOhm.map((v: number, i: number) => v + fit.residualImOhm[i]),
    fitRe: fit.fitReOhm,
    fitIm: fit.fitImOhm,
  };
};

const rowsOf = (spectra: Spectrum[]) =>
  spectra.flatMap((s) =>
    s.f.flatMap((f, i) => {
      const modulus = (re: number, im: number) => Math.hypot(re, im);
      const phase = (re: number, im: number) => (Math.atan2(im, re) * 180) / Math.PI;
      return [
        {
          spectrum: s.label,
          what: 'data',
          f,
          re: s.dataRe[i],
          mim: -s.dataIm[i],
          z: modulus(s.dataRe[i], s.dataIm[i]),
          mphase: -phase(s.dataRe[i], s.dataIm[i]),
        },
        {
          spectrum: s.label,
          what: 'fit',
          f,
          re: s.fitRe[i],
          mim: -s.fitIm[i],
          z: modulus(s.fitRe[i], s.fitIm[i]),
          mphase: -phase(s.fitRe[i], s.fitIm[i]),
        },
      ];
    }),
  );

const TOOLTIP = [
  { field: 'spectrum', type: 'nominal' },
  { field: 'what', type: 'nominal', title: 'data or fit' },
  { field: 'f', type: 'quantitative', title: 'frequency (Hz)', format: '.4~g' },
  { field: 're', type: 'quantitative', title: "Z' (Ω)", format: '.4~g' },
  { field: 'mim', type: 'quantitative', title: "-Z'' (Ω)", format: '.4~g' },
  { field: 'z', type: 'quantitative', title: '|Z| (Ω)', format: '.4~g' },
  { field: 'mphase', type: 'quantitative', title: '-phase (°)', format: '.2f' },
];

/** Data as points and the fitted circuit as a line, one colour per spectrum. */
const dataAndFit = (x: object, y: object, colour: object) => [
  {
    transform: [{ filter: "datum.what === 'data'" }],
    mark: { type: 'point', size: 18, filled: false },
    encoding: { x, y, color: colour, tooltip: TOOLTIP },
  },
  {
    transform: [{ filter: "datum.what === 'fit'" }],
    mark: { type: 'line', strokeWidth: 1.2 },
    encoding: { x, y, color: colour, order: { field: 'f', type: 'quantitative', sort: 'descending' } },
  },
];

/** `range`: colours per spectrum (a temperature series: cold blue to hot red, as every T in the report). */
const spectrumPlots = (spectra: Spectrum[], prefix: string, range: string[] = CATEGORICAL): PlotBlock[] => {
  const rows = rowsOf(spectra);
  const colour = {
    field: 'spectrum',
    type: 'nominal',
    title: 'spectrum',
    scale: { domain: spectra.map((s) => s.label), range },
  };
  // Equal axes: one ohm is the same length on both, so arcs look like arcs.
  const re = rows.map((r) => r.re);
  const mim = rows.map((r) => r.mim);
  const x0 = Math.min(0, ...re);
  const y0 = Math.min(0, ...mim);
  const span = 1.05 * Math.max(Math.max(...re) - x0, Math.max(...mim) - y0);
  const circuits = [...new Set(spectra.map((s) => s.circuit))].join(', ');
  // The Bode figure has two panels: its legend goes below them (a double column at most).
  const colourBelow = { ...colour, legend: { orient: 'bottom', columns: 3 } };
  const freq = rows.map((r) => r.f);
  const fx = logAxis(freq);
  const zs = logAxis(rows.map((r) => r.z));
  return [
    {
      kind: 'plot',
      id: `${prefix}-nyquist`,
      title: 'Nyquist plot: data and fitted circuit',
      caption: `-Z'' against Z' (Ω) on equal axes; points: the measured spectrum, line: the fitted circuit ${circuits}. Hover for the frequency.`,
      spec: (size) => {
        const side = Math.max(size.width, size.height) * 1.2;
        return vl({
          width: side,
          height: side,
          data: { values: rows },
          layer: dataAndFit(
            {
              field: 're',
              type: 'quantitative',
              title: "Z' (Ω)",
              scale: { domain: [x0, x0 + span], nice: false },
            },
            {
              field: 'mim',
              type: 'quantitative',
              title: "-Z'' (Ω)",
              scale: { domain: [y0, y0 + span], nice: false },
            },
            colour,
          ),
        });
      },
    },
    {
      kind: 'plot',
      id: `${prefix}-bode`,
      title: 'Bode plot: |Z| and phase',
      panels: 2,
      caption: `|Z| (Ω) and -phase (°) against frequency (Hz), both logarithmic in frequency; points: data, lines: the fitted circuit ${circuits}.`,
      spec: (size) =>
        vl({
          data: { values: rows },
          hconcat: [
            {
              width: size.width,
              height: size.height,
              layer: dataAndFit(
                { field: 'f', type: 'quantitative', title: 'frequency (Hz)', ...fx },
                { field: 'z', type: 'quantitative', title: '|Z| (Ω)', ...zs },
                colourBelow,
              ),
            },
            {
              width: size.width,
              height: size.height,
              layer: dataAndFit(
                { field: 'f', type: 'quantitative', title: 'frequency (Hz)', ...fx },
                { field: 'mphase', type: 'quantitative', title: '-phase (°)' },
                colourBelow,
              ),
            },
          ],
        }),
    },
  ];
};

// biome-ignore lint/suspicious/noExplicitAny: eis fit runs as written
const fitTable = (runs: any[], labels: string[]): Block => ({
  kind: 'table',
  title: 'Fitted circuit parameters',
  caption:
    'Each parameter ± standard error [95 % interval, ±1.96 standard errors] in SI units (Ω, F, H, s; CPE Q in Ω⁻¹ sᵅ), the weighted sum of squares and reduced χ².',
  columns: ['spectrum', 'circuit', 'parameter', 'value ± σ [95 %]', 'unit', 'reduced χ²'],
  rows: runs.flatMap((r, k) =>
    r.fit.parameterNames.map((name: string, i: number) => {
      const v = r.fit.parameters[i];
      const s = r.fit.stdErrors[i];
      return [
        labels[k],
        r.fit.circuit,
        name,
        Number.isFinite(s)
          ? `${num(v, 4)} ± ${num(s, 2)} [${num(v - 1.96 * s, 3)}, ${num(v + 1.96 * s, 3)}]`
          : `${num(v, 4)} (no error)`,
        r.fit.parameterUnits[i] || '1',
        num(r.fit.reducedChiSquare),
      ];
    }),
  ),
});

// biome-ignore lint/suspicious/noExplicitAny: eis kk runs as written
const kkPlot = (runs: any[]): PlotBlock => {
  const rows = runs.flatMap((r) =>
    r.result.frequencyHz.flatMap((f: number, i: number) => [
      { spectrum: fileName(r.file), part: 'real', f, res: 100 * r.result.residualRe[i] },
      { spectrum: fileName(r.file), part: 'imaginary', f, res: 100 * r.result.residualIm[i] },
    ]),
  );
  const fx = logAxis(rows.map((r: { f: number }) => r.f));
  return {
    kind: 'plot',
    id: 'eis-kk',
    title: 'Lin-KK residuals per frequency',
    caption: `Residuals of the Lin-KK fit (data minus Kramers-Kronig-compliant fit, relative to |Z|, in %) of the real and imaginary parts against frequency (Hz). Small and random: the spectrum is valid; a trend at the ends flags drift or non-linearity. ${runs
      .map(
        (r) =>
          `${fileName(r.file)}: M = ${r.result.m} RC elements, μ = ${num(r.result.mu)} (c = ${num(r.result.c)}), largest |residual| ${num(100 * r.result.maxAbsResidual)} %`,
      )
      .join('; ')}.`,
    spec: (size) =>
      vl({
        width: size.width * 1.6,
        height: size.height,
        data: { values: rows },
        layer: [
          { mark: { type: 'rule', color: '#888888' }, encoding: { y: { datum: 0 } } },
          {
            mark: { type: 'line', strokeWidth: 1, point: { size: 14, filled: true } },
            encoding: {
              x: { field: 'f', type: 'quantitative', title: 'frequency (Hz)', ...fx },
              y: { field: 'res', type: 'quantitative', title: 'residual (% of |Z|)' },
              color: {
                field: 'part',
                type: 'nominal',
                title: 'part',
                scale: { domain: ['real', 'imaginary'], range: [CATEGORICAL[0], CATEGORICAL[1]] },
              },
              detail: { field: 'spectrum', type: 'nominal' },
              tooltip: [
                { field: 'spectrum', type: 'nominal' },
                { field: 'part', type: 'nominal' },
                { field: 'f', type: 'quantitative', title: 'frequency (Hz)', format: '.4~g' },
                { field: 'res', type: 'quantitative', title: 'residual (%)', format: '.3f' },
              ],
            },
          },
        ],
      }),
  };
};

// biome-ignore lint/suspicious/noExplicitAny: eis arrhenius JSON as written
const arrheniusPlot = (a: any, k: number): Block[] => {
  // biome-ignore lint/suspicious/noExplicitAny: as above
  const pts = a.runs.map((r: any) => ({
    file: fileName(r.file),
    T: r.temperatureK,
    x: 1000 / r.temperatureK,
    st: r.sigma.sCm * r.temperatureK,
    lo: r.sigma.low95SCm * r.temperatureK,
    hi: r.sigma.high95SCm * r.temperatureK,
    sigma: r.sigma.sCm * 1000,
  }));
  const fit = a.fit.arrheniusSigmaT;
  const ts = pts.map((p: { T: number }) => p.T);
  const [tmin, tmax] = [Math.min(...ts), Math.max(...ts)];
  const line = Array.from({ length: 40 }, (_, i) => {
    const T = 1 / (1 / tmax + (i / 39) * (1 / tmin - 1 / tmax));
    return { x: 1000 / T, st: Math.exp(fit.line.intercept + fit.line.slope / T) };
  });
  const y = logAxis([
    ...pts.flatMap((p: { lo: number; hi: number }) => [p.lo, p.hi]),
    ...line.map((l) => l.st),
  ]);
  const xAxis = { field: 'x', type: 'quantitative', title: '1000/T (1/K)', scale: { zero: false } };
  const yTitle = 'σT (S K/cm)';
  const ea = fit.activationEv;
  const rows: string[][] = [
    ['Ea of σT (eV)', `${num(ea.value, 4)} [${num(ea.low95, 4)}, ${num(ea.high95, 4)}]`],
    [
      'ln(A / (S K/cm)) of σT',
      `${num(fit.lnPrefactor.value, 4)} [${num(fit.lnPrefactor.low95, 4)}, ${num(fit.lnPrefactor.high95, 4)}]`,
    ],
  ];
  const s = a.fit.arrhenius;
  if (s)
    rows.push([
      'Ea of σ (eV)',
      `${num(s.activationEv.value, 4)} [${num(s.activationEv.low95, 4)}, ${num(s.activationEv.high95, 4)}]`,
    ]);
  for (const p of pts)
    rows.push([
      `σ at ${num(p.T, 5)} K (mS/cm)`,
      `${num(p.sigma)} [${num((p.lo / p.T) * 1000, 3)}, ${num((p.hi / p.T) * 1000, 3)}]`,
    ]);
  return [
    {
      kind: 'plot',
      id: `eis-arrhenius-${k + 1}`,
      title: `Measured Arrhenius: σT, Ea = ${num(ea.value, 3)} eV [${num(ea.low95, 3)}, ${num(ea.high95, 3)}]`,
      caption: `σT (S K/cm, log) against 1000/T (1/K) from the spectra's bulk resistance and the cell constant, with 95 % intervals, and the ${fit.method === 'ols' ? 'least-squares' : fit.method} fit ln(σT) = ln A - Ea / (k_B T) over the measured range.`,
      spec: (size) =>
        vl({
          width: size.width * 1.4,
          height: size.height * 1.2,
          layer: [
            {
              data: { values: line },
              mark: { type: 'line', color: CATEGORICAL[3], strokeWidth: 1.4 },
              encoding: { x: xAxis, y: { field: 'st', type: 'quantitative', title: yTitle, ...y } },
            },
            {
              data: { values: pts },
              mark: { type: 'rule', color: '#000000' },
              encoding: {
                x: xAxis,
                y: { field: 'lo', type: 'quantitative', title: yTitle, ...y },
                y2: { field: 'hi' },
              },
            },
            {
              data: { values: pts },
              mark: { type: 'point', filled: true, size: 40, color: '#000000' },
              encoding: {
                x: xAxis,
                y: { field: 'st', type: 'quantitative', title: yTitle, ...y },
                tooltip: [
                  { field: 'file', type: 'nominal', title: 'spectrum' },
                  { field: 'T', type: 'quantitative', title: 'T (K)', format: '.2f' },
                  { field: 'sigma', type: 'quantitative', title: 'σ (mS/cm)', format: '.4~g' },
                  { field: 'st', type: 'quantitative', title: yTitle, format: '.4~g' },
                  { field: 'lo', type: 'quantitative', title: 'σT low 95 %', format: '.4~g' },
                  { field: 'hi', type: 'quantitative', title: 'σT high 95 %', format: '.4~g' },
                ],
              },
            },
          ],
        }),
    },
    {
      kind: 'table',
      title: 'Measured conductivity and activation energy',
      caption: 'Values with 95 % intervals.',
      columns: ['quantity', 'value [95 %]'],
      rows,
    },
  ];
};

export const experimentSection: SectionBuilder = (input) => {
  const lab = input.lab;
  if (!lab?.eisFits?.length && !lab?.kk?.length && !lab?.eisArrhenius?.length) return undefined;
  const blocks: Block[] = [];
  if (lab.eisFits?.length) {
    const labels = lab.eisFits.map((r) => fileName(r.file));
    blocks.push(
      ...spectrumPlots(
        lab.eisFits.map((r, i) => spectrumOf(r, labels[i])),
        'eis-fit',
      ),
    );
    blocks.push(fitTable(lab.eisFits, labels));
  }
  if (lab.kk?.length) blocks.push(kkPlot(lab.kk));
  lab.eisArrhenius?.forEach((a, k) => {
    blocks.push(...arrheniusPlot(a, k));
    // The temperature series' spectra, when each was fitted with a circuit.
    // biome-ignore lint/suspicious/noExplicitAny: as above
    const fitted = a.runs.filter((r: any) => r.fit?.frequencyHz);
    if (fitted.length) {
      // biome-ignore lint/suspicious/noExplicitAny: as above
      const labels = fitted.map((r: any) => `${fileName(r.file)} (${num(r.temperatureK, 5)} K)`);
      const ts: number[] = fitted.map((r: { temperatureK: number }) => r.temperatureK);
      const { domain, range } = temperatureColours(ts);
      blocks.push(
        ...spectrumPlots(
          fitted.map((r: unknown, i: number) => spectrumOf(r, labels[i])),
          `eis-arrhenius-${k + 1}`,
          ts.map((t) => range[domain.indexOf(`${t} K`)]),
        ),
      );
    }
  });
  return {
    id: 'experiment',
    title: 'Experiment: impedance',
    summary:
      'Measured spectra, their fitted circuits and validity, and the measured conductivity against temperature.',
    blocks,
  };
};
