import { readFileSync } from 'node:fs';
import { OptionError, ParseError } from '../core/errors.js';
import { TextSink } from './text-sink.js';

// Pair distribution function data files: .gr (PDFgetX2, PDFgetX3, PDFgetN) and .fgr (PDFgui and
// PDFfit2 output). The header is found and read as PDFgui does (diffpy.pdfgui
// control/pdfdataset.py readStr); the columns and weights are read as PDFfit2 does (libpdffit2
// pdf.cc DataSet::read_data_stream), since PDFfit2 is the engine whose numbers users compare.

/** Header values PDFgui reads from a PDF file (absent when the header does not give them). */
export interface PdfDataMeta {
  /** Q cut-off used to make the PDF (1/A). */
  qmax?: number;
  /** Q-resolution damping (1/A; PDFgui also reads the old name qsig). */
  qdamp?: number;
  /** Q-resolution peak broadening (1/A; old name qalp). */
  qbroad?: number;
  /** Spherical particle diameter (A). */
  spdiameter?: number;
  dscale?: number;
  temperatureK?: number;
  doping?: number;
  /** Radiation: 'X' when the header says x-ray / PDFgetX, 'N' for neutron / PDFgetN. */
  stype?: 'X' | 'N';
}

/** One PDF data set. r in A, G in A^-2. */
export interface PdfData {
  file: string;
  r: Float64Array;
  g: Float64Array;
  /** Uncertainty of r (4-column files). */
  dr?: Float64Array;
  /** Uncertainty of G: the 4th column of 4-column files, the 3rd of 3-column ones. */
  dg?: Float64Array;
  /** Number of numeric columns of the data lines. */
  columns: number;
  /**
   * Least-squares weights as PDFfit2's file reader makes them: 1/dG^2 when every dG > 0, else all
   * 1 (weightNote says why).
   */
  weights: Float64Array;
  /** Why the weights are all 1, when they are. */
  weightNote?: string;
  /** Step of the (equidistant) r grid (A). */
  rstep: number;
  meta: PdfDataMeta;
  /** 1-based line of the first data point. */
  firstDataLine: number;
}

const FLOAT = String.raw`[-+]?(?:\d+(?:\.\d*)?|\d*\.\d+)(?:[eE][-+]?\d+)?`;
/** PDFfit2's tolerance on the r step of an equidistant grid (MathUtils.h deltar_tol, A). */
export const PDFFIT2_DELTAR_TOL = 1e-3;

const headerMeta = (header: string): PdfDataMeta => {
  const meta: PdfDataMeta = {};
  if (/(x-?ray|PDFgetX)/i.test(header)) meta.stype = 'X';
  else if (/(neutron|PDFgetN)/i.test(header)) meta.stype = 'N';
  const grab = (names: string, flags: string): number | undefined => {
    const m = new RegExp(String.raw`\b(?:${names}) *= *(${FLOAT})(?![\w.])`, flags).exec(header);
    return m ? Number(m[1]) : undefined;
  };
  const set = <K extends keyof PdfDataMeta>(k: K, v: PdfDataMeta[K] | undefined) => {
    if (v !== undefined) meta[k] = v;
  };
  set('qmax', grab('qmax', 'i'));
  set('qdamp', grab('qdamp|qsig', 'i'));
  set('qbroad', grab('qbroad|qalp', 'i'));
  set('spdiameter', grab('spdiameter', 'i'));
  set('dscale', grab('dscale', 'i'));
  // PDFgui matches temperature and doping case-sensitively (T= but not t=).
  set('temperatureK', grab('temp|temperature|T', ''));
  set('doping', grab('x|doping', ''));
  return meta;
};

/**
 * Parse the text of a .gr / .fgr file. The data start after a line `#... start data` (and the
 * comment lines right after it), else at the first line that starts with a number. Every data line
 * needs at least r and G; the r grid must be equidistant (PDFfit2 refuses others).
 */
export const parsePdfData = (text: string, file: string): PdfData => {
  const lines = text.split(/\r?\n/);
  let start = -1;
  const startData = lines.findIndex((l) => /^#+ start data/.test(l));
  if (startData >= 0) {
    start = startData + 1;
    while (start < lines.length && (lines[start].startsWith('#') || lines[start].trim() === '')) start++;
  } else {
    const num = new RegExp(`^\\s*${FLOAT}`);
    start = lines.findIndex((l) => num.test(l) && !l.trimStart().startsWith('#'));
  }
  if (start < 0 || start >= lines.length)
    throw new ParseError({ file, line: Math.max(1, lines.length), expected: 'PDF data lines "r G [dr] dG"' });
  const meta = headerMeta(lines.slice(0, start).join('\n'));
  const cols: number[][] = [];
  const lineNo: number[] = [];
  let ncol = 0;
  for (let i = start; i < lines.length; i++) {
    const t = lines[i].trim();
    if (t === '') continue;
    if (t.startsWith('#'))
      throw new ParseError({
        file,
        line: i + 1,
        expected: 'a data line (no comments inside the data)',
        found: t,
      });
    const f = t.split(/\s+/);
    if (ncol === 0) ncol = f.length;
    if (f.length < 2)
      throw new ParseError({ file, line: i + 1, expected: 'at least two columns, r and G(r)', found: t });
    if (f.length !== ncol)
      throw new ParseError({
        file,
        line: i + 1,
        expected: `${ncol} columns like the first data line`,
        found: t,
      });
    const v = f.map(Number);
    const bad = v.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0)
      throw new ParseError({
        file,
        line: i + 1,
        column: lines[i].indexOf(f[bad]) + 1,
        expected: 'a finite number',
        found: f[bad],
      });
    cols.push(v);
    lineNo.push(i + 1);
  }
  const n = cols.length;
  if (n < 2)
    throw new ParseError({ file, line: lineNo[0] ?? start + 1, expected: 'at least two data points' });
  const column = (k: number) => Float64Array.from(cols, (c) => c[k]);
  const r = column(0);
  const g = column(1);
  const rstep = (r[n - 1] - r[0]) / (n - 1);
  if (!(rstep > 0))
    throw new ParseError({
      file,
      line: lineNo[n - 1],
      expected: 'r increasing from the first data line to the last',
      found: String(r[n - 1]),
    });
  for (let i = 1; i < n; i++)
    if (Math.abs(r[i] - r[i - 1] - rstep) > PDFFIT2_DELTAR_TOL)
      throw new ParseError({
        file,
        line: lineNo[i],
        expected: `an equidistant r grid (step ${rstep.toPrecision(6)} A within ${PDFFIT2_DELTAR_TOL} A, as PDFfit2 requires): resample the data first`,
        found: `r = ${r[i]} after ${r[i - 1]}`,
      });
  const dr = ncol >= 4 ? column(2) : undefined;
  // PDFfit2 reads dG from column 3 of 3-column and column 4 of 4-column files; with 5 or more
  // columns it reads r and G only.
  const dg = ncol === 3 ? column(2) : ncol === 4 ? column(3) : undefined;
  const weights = new Float64Array(n).fill(1);
  let weightNote: string | undefined;
  if (!dg)
    weightNote = `${file}: no dG column (${ncol} columns): unit weights, so parameter uncertainties are not reliable`;
  else {
    const bad = dg.findIndex((x) => !(x > 0));
    if (bad >= 0)
      weightNote = `${file}:${lineNo[bad]}: dG = ${dg[bad]} is not positive: all weights set to 1, as PDFfit2 does, so parameter uncertainties are not reliable`;
    else for (let i = 0; i < n; i++) weights[i] = 1 / (dg[i] * dg[i]);
  }
  return { file, r, g, dr, dg, columns: ncol, weights, weightNote, rstep, meta, firstDataLine: lineNo[0] };
};

/** Read a .gr / .fgr file (see parsePdfData). */
export const readPdfData = (path: string): PdfData => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new OptionError(`${path}: cannot read the PDF data (${(e as Error).message})`);
  }
  return parsePdfData(text, path);
};

/** Curves for an .fgr file: r and Gcalc, with the observed G and its dG when there are data. */
export interface FgrCurves {
  r: ArrayLike<number>;
  gcalc: ArrayLike<number>;
  gobs?: ArrayLike<number>;
  dgobs?: ArrayLike<number>;
}

/**
 * The text of an .fgr file as PDFgui exports it: a `##### PDFgui fit`-style header of `key = value`
 * lines, `##### start data`, then columns r, Gcalc, dr (0), dG (the data's, else 0) and, with data,
 * Gobs - Gcalc.
 */
export const formatFgr = (
  c: FgrCurves,
  header: Record<string, string | number>,
  title = 'oligolyte PDF',
): string => {
  let s = `##### ${title}\n`;
  for (const [k, v] of Object.entries(header)) s += `# ${k} = ${v}\n`;
  s += '##### start data\n';
  s += c.gobs ? '#L r(A) G(r) d_r d_Gr Gdiff\n' : '#L r(A) G(r) d_r d_Gr\n';
  const n = c.r.length;
  for (let i = 0; i < n; i++) {
    const dg = c.dgobs ? c.dgobs[i] : 0;
    s += `${fmt(c.r[i])} ${fmt(c.gcalc[i])} 0 ${fmt(dg)}`;
    s += c.gobs ? ` ${fmt(c.gobs[i] - c.gcalc[i])}\n` : '\n';
  }
  return s;
};

const fmt = (x: number): string => (Object.is(x, -0) ? '0' : Number(x.toPrecision(9)).toString());

/** Write an .fgr file atomically (see formatFgr). */
export const writeFgr = async (
  path: string,
  c: FgrCurves,
  header: Record<string, string | number>,
  title?: string,
): Promise<void> => {
  const sink = new TextSink(path);
  try {
    sink.write(formatFgr(c, header, title));
    await sink.commit();
  } catch (e) {
    await sink.abort();
    throw e;
  }
};
