import { formatFgr } from '../../io/gr.js';
import type { TextSink } from '../../io/text-sink.js';
import { csvNumber, jsonNumbers, tableNumber } from '../report-io.js';
import {
  calculatePdf,
  calculationGrid,
  numberDensity,
  type PdfCalculation,
  type PdfDataModel,
} from './pdf-model.js';
import { averageScatteringFactor, type PdfPhase, phaseAtomCount } from './pdf-phase.js';

// `scatter pdf`: the G(r) of one or more phases, reported as a table (a summary and the curve
// sampled), JSON, CSV and .fgr.

export interface PdfReport {
  phases: { name: string; atoms: number; numberDensityPerA3?: number; meanScatteringFactor: number }[];
  data: PdfDataModel;
  rminA: number;
  rmaxA: number;
  rstepA: number;
  calculation: PdfCalculation;
}

/** Calculate G(r) on rmin..rmax (see calculatePdf) and describe the phases. */
export const pdfReport = (
  phases: PdfPhase[],
  data: PdfDataModel,
  rminA: number,
  rmaxA: number,
  rstepA: number,
): PdfReport => {
  const calculation = calculatePdf(phases, data, calculationGrid(rminA, rmaxA, rstepA));
  return {
    phases: phases.map((p) => ({
      name: p.name,
      atoms: phaseAtomCount(p),
      numberDensityPerA3: p.kind === 'crystal' ? numberDensity(p) : undefined,
      meanScatteringFactor: averageScatteringFactor(p, data.radiation),
    })),
    data,
    rminA,
    rmaxA,
    rstepA,
    calculation,
  };
};

const ROWS = 40;

/** A summary and the curve at about 40 evenly spaced r (the files hold every point). */
export const pdfTable = (r: PdfReport): string => {
  const d = r.data;
  const qmax = d.qmax > 0 ? `${d.qmax} 1/A` : 'off (no termination)';
  let s = `G(r) by PDFfit2's model: ${d.radiation === 'X' ? 'X-ray (weights Z)' : 'neutron (weights b)'}, Qmax ${qmax}, Qdamp ${d.qdamp} 1/A, Qbroad ${d.qbroad} 1/A, dscale ${d.dscale}\n`;
  // The phase column as wide as the longest name: names are file names, cut they would be ambiguous.
  const width = Math.max(5, ...r.phases.map((p) => p.name.length)) + 2;
  s += `${'phase'.padEnd(width)}atoms/cell  rho0 (1/A^3)  <f>\n`;
  for (const p of r.phases)
    s += `${p.name.padEnd(width)}${tableNumber(p.atoms).padStart(10)}  ${tableNumber(p.numberDensityPerA3 ?? null).padStart(12)}  ${tableNumber(p.meanScatteringFactor)}\n`;
  const c = r.calculation;
  const n = c.r.length;
  const every = Math.max(1, Math.ceil(n / ROWS));
  s += `\n     r (A)      G (1/A^2)   (${every === 1 ? 'all' : `1 in ${every}`} of ${n} points; --csv/--json/--fgr hold all)\n`;
  for (let i = 0; i < n; i += every)
    s += `${tableNumber(c.r[i], 5).padStart(10)}  ${tableNumber(c.g[i], 5).padStart(13)}\n`;
  return s;
};

export const writePdfJson = async (sink: TextSink, r: PdfReport): Promise<void> => {
  sink.write(
    `${JSON.stringify(
      {
        model: 'PDFfit2',
        units: { r: 'A', G: '1/A^2', qmax: '1/A', qdamp: '1/A', qbroad: '1/A', numberDensity: '1/A^3' },
        data: r.data,
        phases: r.phases,
        r: r.calculation.r,
        G: r.calculation.g,
        phaseG: r.calculation.phases,
      },
      jsonNumbers,
      1,
    )}\n`,
  );
};

export const writePdfCsv = async (sink: TextSink, r: PdfReport): Promise<void> => {
  const c = r.calculation;
  const many = r.phases.length > 1;
  sink.write(`r_A,G_per_A2${many ? r.phases.map((_, k) => `,G_phase${k + 1}_per_A2`).join('') : ''}\n`);
  for (let i = 0; i < c.r.length; i++)
    sink.write(
      `${csvNumber(c.r[i])},${csvNumber(c.g[i])}${many ? c.phases.map((p) => `,${csvNumber(p[i])}`).join('') : ''}\n`,
    );
};

export const writePdfFgr = async (sink: TextSink, r: PdfReport): Promise<void> => {
  const d = r.data;
  sink.write(
    formatFgr(
      { r: r.calculation.r, gcalc: r.calculation.g },
      {
        type: d.radiation,
        qmax: d.qmax,
        qdamp: d.qdamp,
        qbroad: d.qbroad,
        dscale: d.dscale,
        rmin: r.rminA,
        rmax: r.rmaxA,
      },
      'oligolyte scatter pdf',
    ),
  );
};
