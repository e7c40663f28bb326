import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ParseError } from '../../core/errors.js';
import { readCifCrystal } from '../../io/formats/cif-sites.js';
import { readPdfData } from '../../io/gr.js';
import { Fields, type Raw } from '../../io/settings-fields.js';
import { readSettingsFile } from '../../io/settings-file.js';
import { readStru } from '../../io/stru.js';
import type { FitDataSpec, FitParameter, FitPhaseSpec, PdfFitSpec } from './pdf-fit.js';
import { crystalPhase, type Radiation } from './pdf-phase.js';
import { PHASE_VARIABLES } from './pdf-variables.js';

// The fit file (TOML or JSON): parameters @n, phases (a .stru or CIF file, starting values,
// constraints), data sets (a .gr file, radiation, Qmax, Qdamp, fit range, constraints) and an
// optional series of data files for a sequential fit. docs/scattering.md documents it with the
// Ni example (examples/scatter/ni-lesson1.toml). Paths are relative to the fit file.

export interface FitFile {
  file: string;
  title: string;
  spec: PdfFitSpec;
  /** Data files of a sequential fit (the first data set's file replaced by each in turn). */
  series: string[];
  /** Output prefix from the file (`output`), relative to the fit file. */
  output?: string;
}

const where = (file: string, key: string): ParseError => new ParseError({ file, expected: key });

/** Read and check a fit file (see the file comment). */
export const readFitFile = (path: string): FitFile => {
  const raw = readSettingsFile(path, 'fit file');
  const base = dirname(resolve(path));
  const rel = (p: string) => resolve(base, p);
  const top = new Fields(raw as Raw, '', path);
  const title = top.has('title') ? top.str('title', undefined) : path;
  const tolerance = top.num('tolerance', 1e-8, (v) => v > 0 && v < 1, 'a relative chi^2 tolerance in (0, 1)');
  const maxIterations = top.whole('max_iterations', 100, 1);
  const output = top.has('output') ? rel(top.str('output', undefined)) : undefined;
  const derivatives = top.str<'numeric' | 'pdffit2'>('derivatives', 'numeric', ['numeric', 'pdffit2']);

  const parameters: FitParameter[] = [];
  const praw = top.use('parameters');
  if (praw === undefined || typeof praw !== 'object' || praw === null || Array.isArray(praw))
    throw top.error('parameters', 'a table of parameters, e.g. [parameters] 1 = 3.52', praw);
  const pf = new Fields(praw as Raw, 'parameters', path);
  for (const [k, v] of Object.entries(praw as Raw)) {
    if (!/^\d+$/.test(k)) throw pf.error(k, 'a parameter number (the n of @n)', k);
    if (typeof v === 'number') {
      pf.use(k);
      parameters.push({ id: Number(k), value: v });
    } else {
      const t = new Fields(v as Raw, `parameters.${k}`, path);
      pf.use(k);
      parameters.push({
        id: Number(k),
        value: t.num('value', undefined, Number.isFinite, 'a number'),
        fixed: t.bool('fixed', false),
      });
      t.done();
    }
  }

  const constraintsOf = (f: Fields, key: string): Record<string, string> => {
    const c = f.use(key);
    if (c === undefined) return {};
    if (typeof c !== 'object' || c === null || Array.isArray(c))
      throw f.error(key, 'a table "variable" = "formula"', c);
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(c as Raw)) {
      if (typeof v !== 'string' && typeof v !== 'number')
        throw f.error(`${key}.${k}`, 'a formula such as "@1" or "@11 + 0.5"', v);
      out[k] = String(v);
    }
    return out;
  };

  const phasesRaw = top.use('phase');
  if (!Array.isArray(phasesRaw) || phasesRaw.length === 0)
    throw top.error('phase', 'one or more [[phase]] tables', phasesRaw);
  const phases: FitPhaseSpec[] = phasesRaw.map((pr, i) => {
    const f = new Fields(pr as Raw, `phase[${i}]`, path);
    const structure = rel(f.str('structure', undefined));
    if (!existsSync(structure)) throw f.error('structure', 'an existing .stru or .cif file', structure);
    const defaultUiso = f.has('default_uiso')
      ? f.num('default_uiso', undefined, (v) => v >= 0, 'a U >= 0 (A^2)')
      : undefined;
    const model = structure.toLowerCase().endsWith('.cif')
      ? readCifCrystal(structure, { defaultUiso })
      : readStru(structure);
    const phase = crystalPhase(
      model,
      f.has('name') ? f.str('name', undefined) : model.title || `phase ${i + 1}`,
    );
    for (const v of PHASE_VARIABLES)
      if (f.has(v)) phase[v] = f.num(v, undefined, Number.isFinite, 'a number');
    const constraints = constraintsOf(f, 'constraints');
    f.done();
    return { phase, constraints };
  });

  const dataRaw = top.use('data');
  if (!Array.isArray(dataRaw) || dataRaw.length === 0)
    throw top.error('data', 'one or more [[data]] tables', dataRaw);
  const datasets: FitDataSpec[] = dataRaw.map((dr, i) => {
    const f = new Fields(dr as Raw, `data[${i}]`, path);
    const file = rel(f.str('file', undefined));
    const data = readPdfData(file);
    const radiation = f.str<Radiation>('type', data.meta.stype ?? 'X', ['X', 'N']);
    const qmax = f.num('qmax', data.meta.qmax, (v) => v >= 0, 'Qmax >= 0 (1/A; 0 = no termination)');
    const range = f.use('range');
    if (!Array.isArray(range) || range.length !== 2 || !range.every((x) => typeof x === 'number'))
      throw f.error('range', 'the fit range [rmin, rmax] (A)', range);
    const d: FitDataSpec = {
      name: f.has('name') ? f.str('name', undefined) : `data ${i + 1}`,
      data,
      radiation,
      qmax,
      qdamp: f.num('qdamp', data.meta.qdamp ?? 0, (v) => v >= 0, 'Qdamp >= 0 (1/A)'),
      qbroad: f.num('qbroad', data.meta.qbroad ?? 0, (v) => v >= 0, 'Qbroad >= 0 (1/A)'),
      dscale: f.num('dscale', data.meta.dscale ?? 1, Number.isFinite, 'a number'),
      rmin: range[0] as number,
      rmax: range[1] as number,
      constraints: constraintsOf(f, 'constraints'),
      cut: f.str<'pdfgui' | 'full'>('cut', 'pdfgui', ['pdfgui', 'full']),
    };
    f.done();
    return d;
  });

  let series: string[] = [];
  const s = top.use('series');
  if (s !== undefined) {
    if (!Array.isArray(s) || s.length === 0 || !s.every((x) => typeof x === 'string'))
      throw top.error('series', 'a list of data files for a sequential fit', s);
    series = s.map((x) => rel(x as string));
    for (const x of series) if (!existsSync(x)) throw top.error('series', 'existing data files', x);
  }
  top.done();
  if (parameters.length === 0) throw where(path, 'at least one parameter in [parameters]');
  return {
    file: path,
    title,
    spec: { phases, datasets, parameters, tolerance, maxIterations, derivatives },
    series,
    output,
  };
};
