import { num } from '../format.js';
import type { PdfFitCurves } from '../input-lab.js';
import type { Block, PlotBlock, SectionBuilder, TableBlock } from '../section.js';
import { CATEGORICAL } from '../theme.js';
import { thin, vl } from './common.js';

/**
 * Scattering: PDF obs / calc / difference of fits (`scatter fit`, the study's [scattering]), G(r)
 * of crystals (`scatter pdf`) and models (`scatter pdf-md`), S(Q) (`scatter sq`), XRD sticks and
 * profile (`scatter xrd`). Colours are the same in every plot: observed black, calculated blue,
 * difference green, phase parts orange and purple.
 */

const OBS = '#000000';
const CALC = CATEGORICAL[0];
const DIFF = CATEGORICAL[2];
const CURVE_COLOURS = { domain: ['observed', 'calculated', 'difference'], range: [OBS, CALC, DIFF] };

/** Points drawn per curve (a PDF has thousands; the figure and the hover need a few hundred). */
const MAX_POINTS = 1500;

const arr = (x: ArrayLike<number> | undefined): number[] => (x ? Array.from(x) : []);

const fileName = (f: string): string => String(f).split(/[\\/]/).pop() ?? String(f);

/**
 * Observed, calculated and the difference drawn below them, offset as PDFgui does: by the lowest
 * G of the data and model less the difference's highest value and a tenth of the span (a shift for
 * reading, said in the caption; the tooltip gives the difference itself).
 */
const pdfFitPlot = (id: string, c: PdfFitCurves, context: string): PlotBlock => {
  const lo = Math.min(...c.gobs, ...c.gcalc);
  const hi = Math.max(...c.gobs, ...c.gcalc);
  const offset = lo - Math.max(...c.gdiff) - 0.1 * (hi - lo);
  const rows: Record<string, unknown>[] = [];
  const index = thin(
    c.r.map((_, i) => i),
    MAX_POINTS,
  );
  for (const i of index) {
    const base = { r: c.r[i], obs: c.gobs[i], calc: c.gcalc[i], diff: c.gdiff[i] };
    rows.push({ ...base, curve: 'observed', g: c.gobs[i] });
    rows.push({ ...base, curve: 'calculated', g: c.gcalc[i] });
    rows.push({ ...base, curve: 'difference', g: c.gdiff[i] + offset });
    for (const p of c.parts ?? []) rows.push({ ...base, curve: p.name, g: p.g[i] });
  }
  const parts = (c.parts ?? []).map((p) => p.name);
  const colours = {
    domain: [...CURVE_COLOURS.domain, ...parts],
    range: [...CURVE_COLOURS.range, ...[CATEGORICAL[1], CATEGORICAL[4]].slice(0, parts.length)],
  };
  const rw = c.rw === undefined ? '' : `, Rw = ${num(c.rw)}`;
  return {
    kind: 'plot',
    id,
    title: `PDF ${c.name}: observed, calculated, difference${rw}`,
    caption: `${context} G(r) (1/Å²) against r (Å): the data (points), the model (line) and data minus model, shifted down by ${num(-offset)} 1/Å² (dashed zero line) for reading; Rw = sqrt(sum w (Gobs - Gcalc)² / sum w Gobs²).`,
    spec: (size) =>
      vl({
        width: size.width * 1.6,
        height: size.height * 1.2,
        data: { values: rows },
        layer: [
          {
            mark: { type: 'rule', strokeDash: [4, 3], color: '#888888' },
            encoding: { y: { datum: offset } },
          },
          {
            transform: [{ filter: "datum.curve === 'observed'" }],
            mark: { type: 'point', size: 6, filled: true, opacity: 0.7 },
            encoding: {
              x: { field: 'r', type: 'quantitative', title: 'r (Å)' },
              y: { field: 'g', type: 'quantitative', title: 'G(r) (1/Å²)' },
              color: { field: 'curve', type: 'nominal', title: 'curve', scale: colours },
            },
          },
          {
            transform: [{ filter: "datum.curve !== 'observed'" }],
            mark: { type: 'line', strokeWidth: 1, point: { opacity: 0, size: 16 } },
            encoding: {
              x: { field: 'r', type: 'quantitative', title: 'r (Å)' },
              y: { field: 'g', type: 'quantitative', title: 'G(r) (1/Å²)' },
              color: { field: 'curve', type: 'nominal', title: 'curve', scale: colours },
              tooltip: [
                { field: 'r', type: 'quantitative', title: 'r (Å)', format: '.3f' },
                { field: 'obs', type: 'quantitative', title: 'Gobs (1/Å²)', format: '.4~g' },
                { field: 'calc', type: 'quantitative', title: 'Gcalc (1/Å²)', format: '.4~g' },
                { field: 'diff', type: 'quantitative', title: 'Gobs - Gcalc (1/Å²)', format: '.4~g' },
              ],
            },
          },
        ],
      }),
  };
};

/** A refined value with its standard error and the 95 % interval of a normal estimate. */
const sigmaText = (value: number, sigma: number | undefined): string =>
  sigma === undefined || sigma === null || !Number.isFinite(sigma) || sigma === 0
    ? `${num(value, 5)} (fixed or no error)`
    : `${num(value, 5)} ± ${num(sigma, 2)} [${num(value - 1.96 * sigma, 4)}, ${num(value + 1.96 * sigma, 4)}]`;

/** `scatter fit --json`: each data set's curves and the refined values. */
const fitBlocks = (fits: unknown[]): Block[] => {
  const blocks: Block[] = [];
  // biome-ignore lint/suspicious/noExplicitAny: the fit JSON as written (fit-report.ts)
  fits.forEach((fit: any, f) => {
    // biome-ignore lint/suspicious/noExplicitAny: as above
    fit.datasets.forEach((d: any, k: number) => {
      blocks.push(
        pdfFitPlot(
          `pdf-fit-${f + 1}-${k + 1}`,
          {
            name: d.name,
            rw: d.rw,
            r: arr(d.r),
            gobs: arr(d.Gobs),
            gcalc: arr(d.Gcalc),
            gdiff: arr(d.Gdiff),
          },
          `${d.data?.radiation === 'N' ? 'Neutron' : 'X-ray'} PDF refinement (PDFfit2's model; Qmax ${num(d.data?.qmax)} 1/Å, Qdamp ${num(d.data?.qdamp)} 1/Å).`,
        ),
      );
    });
    const table: TableBlock = {
      kind: 'table',
      title: `Refined values (Rw ${num(fit.rw)}, reduced χ² ${num(fit.reducedChi2)}, ${fit.points} points${fit.converged ? '' : ', not converged'})`,
      caption: `Value ± standard error [95 % interval] (${fit.errors ?? 'PDFfit2 standard errors'}). Units: ${Object.entries(
        fit.units ?? {},
      )
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}.`,
      columns: ['phase', 'variable', 'value ± σ [95 %]'],
      // biome-ignore lint/suspicious/noExplicitAny: as above
      rows: (fit.variables ?? []).map((v: any) => [v.owner ?? '', v.name, sigmaText(v.value, v.sigma)]),
    };
    blocks.push(table);
    if (fit.notes?.length) blocks.push({ kind: 'notes', title: 'Fit notes', items: fit.notes });
  });
  return blocks;
};

/** G(r) curves of several named series (crystal phases, model partials) in one panel. */
const curvesPlot = (
  id: string,
  title: string,
  caption: string,
  series: { name: string; x: number[]; y: number[] }[],
  axes: { x: string; y: string; xf: string; yf: string },
): PlotBlock => {
  const rows = series.flatMap((s) =>
    thin(
      s.x.map((x, i) => ({ curve: s.name, x, y: s.y[i] })),
      MAX_POINTS,
    ),
  );
  return {
    kind: 'plot',
    id,
    title,
    caption,
    spec: (size) =>
      vl({
        width: size.width * 1.6,
        height: size.height,
        data: { values: rows },
        mark: { type: 'line', strokeWidth: 1, point: { opacity: 0, size: 16 } },
        encoding: {
          x: { field: 'x', type: 'quantitative', title: axes.x },
          y: { field: 'y', type: 'quantitative', title: axes.y },
          color: { field: 'curve', type: 'nominal', title: 'curve', scale: { range: CATEGORICAL } },
          tooltip: [
            { field: 'curve', type: 'nominal', title: 'curve' },
            { field: 'x', type: 'quantitative', title: axes.x, format: axes.xf },
            { field: 'y', type: 'quantitative', title: axes.y, format: axes.yf },
          ],
        },
      }),
  };
};

const R_AXES = { x: 'r (Å)', y: 'G(r) (1/Å²)', xf: '.3f', yf: '.4~g' };

/** XRD sticks (scaled intensity, hkl on hover) and the broadened profile when computed. */
// biome-ignore lint/suspicious/noExplicitAny: the xrd JSON as written (xrd-report.ts)
const xrdPlot = (x: any, k: number): PlotBlock => {
  // biome-ignore lint/suspicious/noExplicitAny: as above
  const peaks = x.peaks.map((p: any) => ({
    tt: p.twoThetaDeg,
    i: p.intensity,
    zero: 0,
    d: p.dSpacingA,
    // biome-ignore lint/suspicious/noExplicitAny: as above
    hkl: p.families.map((f: any) => `(${f.hkl.join(' ')}) ×${f.multiplicity}`).join(', '),
  }));
  const profile = x.profile
    ? thin(
        arr(x.profile.twoThetaDeg).map((tt, i) => ({ tt, p: x.profile.intensity[i] })),
        3000,
      )
    : [];
  const axisX = { field: 'tt', type: 'quantitative', title: '2θ (°)' };
  const axisY = { type: 'quantitative', title: 'intensity (strongest peak = 100)' };
  return {
    kind: 'plot',
    id: `xrd-${k + 1}`,
    title: `Powder XRD of ${fileName(x.file)} (${x.wavelength}, λ = ${num(x.wavelengthA, 5)} Å)`,
    caption: `Peaks at 2θ (°) with intensities scaled to the strongest (100); hover for hkl families, multiplicities and d (Å). ${x.profile ? `Line: the pattern broadened by pseudo-Voigt peaks (FWHM ${num(x.profile.fwhmDeg)}°, η ${num(x.profile.eta)}). ` : ''}${x.method ?? ''}`,
    spec: (size) =>
      vl({
        width: size.width * 1.6,
        height: size.height,
        layer: [
          ...(profile.length
            ? [
                {
                  data: { values: profile },
                  mark: { type: 'line', strokeWidth: 1, color: CALC },
                  encoding: { x: axisX, y: { ...axisY, field: 'p' } },
                },
              ]
            : []),
          {
            data: { values: peaks },
            mark: { type: 'rule', color: OBS, strokeWidth: 1.2 },
            encoding: {
              x: axisX,
              y: { ...axisY, field: 'i' },
              y2: { field: 'zero' },
            },
          },
          {
            data: { values: peaks },
            mark: { type: 'point', filled: true, size: 14, color: OBS },
            encoding: {
              x: axisX,
              y: { ...axisY, field: 'i' },
              tooltip: [
                { field: 'hkl', type: 'nominal', title: 'hkl ×multiplicity' },
                { field: 'tt', type: 'quantitative', title: '2θ (°)', format: '.3f' },
                { field: 'i', type: 'quantitative', title: 'intensity', format: '.2f' },
                { field: 'd', type: 'quantitative', title: 'd (Å)', format: '.4f' },
              ],
            },
          },
        ],
      }),
  };
};

/** The study's model against its measured PDF: curves and the numbers with their intervals. */
// biome-ignore lint/suspicious/noExplicitAny: the lab input's study scattering
const studyBlocks = (s: any): Block[] => {
  const sum = s.summary;
  const blocks: Block[] = [];
  const context = `${sum.radiation === 'neutron' ? 'Neutron' : 'X-ray'} PDF ${sum.data} against the model at ${sum.temperatureK} K (${sum.frames} frames; Qmax ${num(sum.qmaxInvA)} 1/Å, Qdamp ${num(sum.qdampInvA)} 1/Å).`;
  if (s.model)
    blocks.push(
      pdfFitPlot(
        'pdf-study-model',
        s.model,
        `${context} The model alone, scaled over ${sum.fitRangeA.join('-')} Å.`,
      ),
    );
  if (s.licl)
    blocks.push(
      pdfFitPlot(
        'pdf-study-licl',
        s.licl,
        `${context} The model plus crystalline LiCl over ${sum.licl?.shortRangeA.join('-')} Å; the orange and purple lines are each phase's part.`,
      ),
    );
  // biome-ignore lint/suspicious/noExplicitAny: as above
  const est = (e: any, scale = 1, unit = '') =>
    e ? `${num(e.value * scale)} [${num(e.low95 * scale, 2)}, ${num(e.high95 * scale, 2)}]${unit}` : 'n/a';
  const rows: string[][] = [];
  if (sum.model) {
    rows.push(['model scale', est(sum.model.scale)]);
    rows.push([`Rw (model alone, ${sum.fitRangeA.join('-')} Å)`, num(sum.model.rw)]);
    rows.push(['reduced χ²', num(sum.model.reducedChi2)]);
  }
  const l = sum.licl;
  if (l) {
    rows.push(['LiCl lattice a (Å)', est(l.latticeA)]);
    rows.push([`Rw (LiCl, ${l.longRangeA.join('-')} Å)`, num(l.long.rw)]);
    rows.push([`Rw (two phases, ${l.shortRangeA.join('-')} Å)`, num(l.short.rw)]);
    rows.push(['LiCl fraction of formula units', est(l.fraction.molar, 100, ' %')]);
    rows.push(['LiCl fraction of atoms', est(l.fraction.atom, 100, ' %')]);
    rows.push(['LiCl fraction of mass', est(l.fraction.mass, 100, ' %')]);
  }
  if (rows.length)
    blocks.push({
      kind: 'table',
      title: 'Model against the measured PDF',
      caption:
        'Values with 95 % intervals (PDFfit2 standard errors scaled by sqrt(reduced χ²) when the fit is worse than the noise; study/scattering.ts).',
      columns: ['quantity', 'value [95 %]'],
      rows,
    });
  const notes = [
    ...(sum.notes ?? []),
    ...(sum.error ? [`not done: ${sum.error}`] : []),
    ...(sum.liclError ? [`LiCl fit: ${sum.liclError}`] : []),
  ];
  if (notes.length) blocks.push({ kind: 'notes', title: 'Scattering notes', items: notes });
  return blocks;
};

export const scatteringSection: SectionBuilder = (input) => {
  const lab = input.lab;
  if (!lab) return undefined;
  const blocks: Block[] = [];
  if (lab.studyScattering) blocks.push(...studyBlocks(lab.studyScattering));
  if (lab.pdfFits?.length) blocks.push(...fitBlocks(lab.pdfFits));
  // biome-ignore lint/suspicious/noExplicitAny: the pdf JSON as written (pdf-report.ts)
  lab.pdfCalcs?.forEach((p: any, k) => {
    const r = arr(p.r);
    const series = [
      { name: 'total', x: r, y: arr(p.G) },
      ...(p.phases.length > 1
        ? p.phaseG.map((g: number[], i: number) => ({ name: p.phases[i].name, x: r, y: arr(g) }))
        : []),
    ];
    blocks.push(
      curvesPlot(
        `pdf-calc-${k + 1}`,
        `PDF of ${p.phases.map((ph: { name: string }) => ph.name).join(' + ')}`,
        `G(r) (1/Å²) of crystals with PDFfit2's model (${p.data?.radiation === 'N' ? 'neutron' : 'X-ray'} weights${p.data?.qmax ? `, Qmax ${num(p.data.qmax)} 1/Å` : ', no Qmax termination'}), the total and, with several phases, each phase.`,
        series,
        R_AXES,
      ),
    );
  });
  // biome-ignore lint/suspicious/noExplicitAny: the pdf-md JSON as written (md-scattering-report.ts)
  lab.mdPdf?.forEach((p: any, k) => {
    const r = arr(p.rA);
    const series = [
      { name: 'total', x: r, y: arr(p.g) },
      // biome-ignore lint/suspicious/noExplicitAny: as above
      ...p.partials.map((c: any) => ({ name: c.name, x: r, y: arr(c.g) })),
    ];
    blocks.push(
      curvesPlot(
        `pdf-md-${k + 1}`,
        `PDF of the model ${fileName(p.file)} (${p.frames} frames)`,
        `G(r) (1/Å²) of an MD model in PDFfit2's normalisation (${p.radiation === 'N' ? 'neutron' : 'X-ray'} weights, route ${p.route}): the total and the weighted partials, which add up to it.`,
        series,
        R_AXES,
      ),
    );
  });
  // biome-ignore lint/suspicious/noExplicitAny: the sq JSON as written (md-scattering-report.ts)
  lab.sq?.forEach((s: any, k) => {
    const q = arr(s.qInvA);
    blocks.push(
      curvesPlot(
        `sq-${k + 1}`,
        `S(Q) of the model ${fileName(s.file)} (${s.frames} frames)`,
        `Faber-Ziman total S(Q) and partials S_ab(Q) against Q (1/Å) (${s.weighting}; ${s.window} window to r = ${num(s.rMaxA)} Å: below Q ~ 2π/rmax the finite range shows).`,
        [
          { name: 'S(Q)', x: q, y: arr(s.s) },
          // biome-ignore lint/suspicious/noExplicitAny: as above
          ...s.partials.map((c: any) => ({ name: `S ${c.name}`, x: q, y: arr(c.s) })),
        ],
        { x: 'Q (1/Å)', y: 'S(Q)', xf: '.3f', yf: '.4~g' },
      ),
    );
    if (s.pdf)
      blocks.push(
        curvesPlot(
          `sq-pdf-${k + 1}`,
          `G(r) of the model ${fileName(s.file)}`,
          'G(r) (1/Å²) from the same frames, the pair distribution behind S(Q).',
          [{ name: 'G(r)', x: arr(s.pdf.rA), y: arr(s.pdf.g) }],
          R_AXES,
        ),
      );
  });
  lab.xrd?.forEach((x, k) => {
    blocks.push(xrdPlot(x, k));
  });
  if (!blocks.length) return undefined;
  return {
    id: 'scattering',
    title: 'Scattering',
    summary: 'Pair distribution functions, total scattering and powder diffraction.',
    blocks,
  };
};
