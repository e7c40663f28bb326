import { formatFgr } from '../../io/gr.js';
import type { TextSink } from '../../io/text-sink.js';
import { csvField, csvNumber, jsonNumbers, tableNumber } from '../report-io.js';
import type { PdfFitResult } from './pdf-fit.js';

// A PDF refinement reported: parameters with standard errors, Rw and reduced chi^2, correlations
// above 0.8, the variables the constraints set, phase fractions; curves (r, Gobs, Gcalc, Gdiff)
// as CSV and .fgr, everything as JSON.

const value = (v: number, s: number): string =>
  s > 0 ? `${tableNumber(v, 7)} (${tableNumber(s, 2)})` : tableNumber(v, 7);

/** The refinement as a text table. */
export const fitTable = (r: PdfFitResult, title = 'PDF refinement'): string => {
  let s = `${title}: ${r.converged ? 'converged' : 'NOT converged'} after ${r.iterations} iterations\n`;
  s += `Rw ${tableNumber(r.rw, 6)}   chi^2 ${tableNumber(r.chi2, 6)}   reduced chi^2 ${tableNumber(r.reducedChi2, 6)}   points ${r.points}   free parameters ${r.freeIds.length}\n\n`;
  s += 'parameter   value (standard error)\n';
  for (const p of r.parameters)
    s += `@${String(p.id).padEnd(10)} ${value(p.value, p.sigma)}${p.fixed ? '   fixed' : ''}\n`;
  const strong: string[] = [];
  r.freeIds.forEach((a, i) => {
    r.freeIds.forEach((b, j) => {
      if (j > i && Math.abs(r.correlations[i][j]) > 0.8)
        strong.push(`@${a} @${b} ${tableNumber(r.correlations[i][j], 3)}`);
    });
  });
  s += `\ncorrelations above 0.8: ${strong.length ? strong.join(', ') : 'none'}\n\nvariables\n`;
  for (const v of r.variables) s += `  ${`${v.owner}: ${v.name}`.padEnd(34)} ${value(v.value, v.sigma)}\n`;
  for (const d of r.datasets) {
    s += `\ndata ${d.name}: Rw ${tableNumber(d.rw, 6)}, ${d.points} points, r ${tableNumber(d.r[0], 5)}..${tableNumber(d.r[d.r.length - 1], 5)} A\n`;
    if (d.fractions) {
      const width = Math.max(18, ...r.phases.map((ph) => ph.name.length + 2));
      s += `  ${'phase fractions'.padEnd(width)}atom                cell                mass\n`;
      r.phases.forEach((ph, k) => {
        const f = d.fractions!;
        s += `  ${ph.name.padEnd(width)}${[f.atom[k], f.cell[k], f.mass[k]].map((x) => value(x.value, x.sigma).padEnd(20)).join('')}\n`;
      });
    }
  }
  for (const n of r.notes) s += `\nnote: ${n}`;
  return `${s}${r.notes.length ? '\n' : ''}`;
};

export const writeFitJson = async (sink: TextSink, r: PdfFitResult): Promise<void> => {
  sink.write(
    `${JSON.stringify(
      {
        units: {
          r: 'A',
          G: '1/A^2',
          lattice: 'A, deg',
          U: 'A^2',
          qdamp: '1/A',
          delta1: 'A',
          delta2: 'A^2',
          spdiameter: 'A',
        },
        errors: 'standard errors from the unscaled covariance (J^T W J)^-1, as PDFfit2',
        converged: r.converged,
        iterations: r.iterations,
        rw: r.rw,
        chi2: r.chi2,
        reducedChi2: r.reducedChi2,
        points: r.points,
        parameters: r.parameters,
        freeIds: r.freeIds,
        correlations: r.correlations,
        variables: r.variables,
        phases: r.phases,
        datasets: r.datasets.map((d) => ({
          name: d.name,
          rw: d.rw,
          chi2: d.chi2,
          points: d.points,
          data: d.data,
          fractions: d.fractions,
          r: d.r,
          Gobs: d.gobs,
          Gcalc: d.gcalc,
          Gdiff: d.gdiff,
          dGobs: d.dgobs,
        })),
        notes: r.notes,
      },
      jsonNumbers,
      1,
    )}\n`,
  );
};

/** Curves of every data set: dataset, r, Gobs, Gcalc, Gdiff, dGobs. */
export const writeFitCsv = async (sink: TextSink, r: PdfFitResult): Promise<void> => {
  sink.write('dataset,r_A,Gobs_per_A2,Gcalc_per_A2,Gdiff_per_A2,dGobs_per_A2\n');
  for (const d of r.datasets)
    for (let i = 0; i < d.r.length; i++)
      sink.write(
        `${csvField(d.name)},${csvNumber(d.r[i])},${csvNumber(d.gobs[i])},${csvNumber(d.gcalc[i])},${csvNumber(d.gdiff[i])},${d.dgobs ? csvNumber(d.dgobs[i]) : ''}\n`,
      );
};

/** The first data set's curves as PDFgui's .fgr (r, Gcalc, dr, dGobs, Gobs - Gcalc). */
export const writeFitFgr = async (sink: TextSink, r: PdfFitResult, dataset = 0): Promise<void> => {
  const d = r.datasets[dataset];
  sink.write(
    formatFgr(
      { r: d.r, gcalc: d.gcalc, gobs: d.gobs, dgobs: d.dgobs },
      {
        type: d.data.radiation,
        qmax: d.data.qmax,
        qdamp: d.data.qdamp,
        qbroad: d.data.qbroad,
        dscale: d.data.dscale,
        rw: r.rw,
      },
      `oligolyte PDF fit: ${d.name}`,
    ),
  );
};
