import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { readStressStrainRecord } from '../analysis/mechanics/stress-strain-record.js';
import { ParseError } from '../core/errors.js';
import type { StudyScattering } from '../study/scattering.js';
import { SCATTERING_CURVE_FILES } from '../study/scattering.js';

/**
 * What the scattering, mechanics and experiment sections draw, read from the JSON their commands
 * wrote (`scatter fit|pdf|xrd|sq|pdf-md`, `mechanics stress-strain|elastic`, `eis fit|kk|arrhenius`)
 * or from a study folder (study.json `scattering` with scattering/pdf.csv and pdf-licl.csv;
 * mechanics/mechanics.json with each run's stress-strain.csv). The JSON is kept as written: the
 * sections read the fields they draw (the shapes are those of src/analysis/scattering/*-report.ts,
 * src/analysis/mechanics/*-report.ts and src/experiment/report/eis-report.ts).
 */

// biome-ignore lint/suspicious/noExplicitAny: analysis JSON as written; the sections read the fields they draw
type Json = any;

/** Observed, calculated and difference G(r) (1/A^2) against r (A), and the fit's Rw. */
export interface PdfFitCurves {
  name: string;
  rw?: number;
  r: number[];
  gobs: number[];
  gcalc: number[];
  gdiff: number[];
  /** Each phase's part of Gcalc (the study's two-phase fit). */
  parts?: { name: string; g: number[] }[];
}

/** A stress-strain run: the analysis result and, when its record could be read, the curve. */
export interface StressStrainView {
  label: string;
  /** Deformed component (xx, yz, ...) and whether tensile or shear. */
  component: string;
  mode: 'tensile' | 'shear';
  result: Json;
  curve?: { strain: number[]; stressGPa: number[] };
  /** Why the curve is missing (the record file was not found or not readable). */
  missing?: string;
}

export interface LabInput {
  /** `scatter fit --json` results (each with datasets: r, Gobs, Gcalc, Gdiff). */
  pdfFits?: Json[];
  /** `scatter pdf --json` results (G(r) of crystals, per phase). */
  pdfCalcs?: Json[];
  /** `scatter xrd --json` results (peaks, optional profile). */
  xrd?: Json[];
  /** `scatter sq --json` results (S(Q), F(Q), partials, G(r)). */
  sq?: Json[];
  /** `scatter pdf-md --json` results (G(r) total and weighted partials). */
  mdPdf?: Json[];
  /** The study's model against measured PDF data (study.json `scattering` and its curve files). */
  studyScattering?: { summary: StudyScattering; model?: PdfFitCurves; licl?: PdfFitCurves };
  stressStrain?: StressStrainView[];
  /** The study's mechanics summary per direction (mechanics/mechanics.json `directions`). */
  mechanicsDirections?: Json[];
  /** `mechanics elastic --json` results. */
  elastic?: Json[];
  /** `eis fit --json` runs. */
  eisFits?: Json[];
  /** `eis kk --json` runs. */
  kk?: Json[];
  /** `eis arrhenius --json` results (runs and fit). */
  eisArrhenius?: Json[];
}

export type LabKind = 'scatter' | 'mechanics' | 'experiment';

/** Two lab inputs as one (a study folder and JSON files given after it). */
export const mergeLab = (a: LabInput | undefined, b: LabInput): LabInput => {
  const out: LabInput = { ...(a ?? {}) };
  for (const [k, v] of Object.entries(b) as [keyof LabInput, unknown][]) {
    if (v === undefined) continue;
    const prev = out[k];
    // biome-ignore lint/suspicious/noExplicitAny: lists are joined, the study's scattering replaced
    (out as any)[k] = Array.isArray(prev) && Array.isArray(v) ? [...prev, ...v] : v;
  }
  return out;
};

/** A record named in a JSON file: absolute, relative to the working folder, or to the JSON's folder. */
const locate = (file: string, jsonPath: string): string | undefined => {
  if (isAbsolute(file)) return existsSync(file) ? file : undefined;
  for (const p of [file, join(dirname(jsonPath), file)]) if (existsSync(p)) return p;
  return undefined;
};

/** Each run's curve, read back from its record with the component the analysis used. */
const stressStrainViews = async (
  runs: { file: string; component: string; mode: 'tensile' | 'shear'; result: Json; label: string }[],
  jsonPath: string,
): Promise<StressStrainView[]> =>
  Promise.all(
    runs.map(async (run) => {
      const view: StressStrainView = {
        label: run.label,
        component: run.component,
        mode: run.mode,
        result: run.result,
      };
      const path = locate(run.file, jsonPath);
      if (!path) return { ...view, missing: `${run.file}: not found; the curve is not drawn` };
      try {
        // The component the analysis used (xx ... xy); a study's direction name is found from the folder.
        const component = /^(xx|yy|zz|yz|xz|xy)$/.test(run.component) ? run.component : undefined;
        const rec = await readStressStrainRecord(path, { component: component as never });
        return { ...view, curve: { strain: Array.from(rec.strain), stressGPa: Array.from(rec.stressGPa) } };
      } catch (e) {
        return { ...view, missing: `${run.file}: ${(e as Error).message}; the curve is not drawn` };
      }
    }),
  );

const shortName = (file: string): string => file.split(/[\\/]/).slice(-2).join('/');

/**
 * The lab analyses a JSON file holds, and which kind of report it is; undefined when it is none of
 * them (then it is a transport or structure JSON, input.ts's readAnalysisJson).
 */
export const readLabJson = async (
  j: Json,
  path: string,
): Promise<{ kind: LabKind; lab: LabInput } | undefined> => {
  if (j === null || typeof j !== 'object') return undefined;
  const runs: Json[] | undefined = Array.isArray(j.runs) ? j.runs : undefined;
  if (Array.isArray(j.datasets) && typeof j.rw === 'number' && Array.isArray(j.parameters))
    return { kind: 'scatter', lab: { pdfFits: [j] } };
  if (j.model === 'PDFfit2' && Array.isArray(j.r) && Array.isArray(j.G))
    return { kind: 'scatter', lab: { pdfCalcs: [j] } };
  if (Array.isArray(j.peaks) && typeof j.wavelengthA === 'number')
    return { kind: 'scatter', lab: { xrd: [j] } };
  if (Array.isArray(j.qInvA) && Array.isArray(j.s)) return { kind: 'scatter', lab: { sq: [j] } };
  if (Array.isArray(j.rA) && Array.isArray(j.g) && Array.isArray(j.partials) && j.route)
    return { kind: 'scatter', lab: { mdPdf: [j] } };
  if (j.moduli?.voigt && Array.isArray(j.stiffnessGPa)) return { kind: 'mechanics', lab: { elastic: [j] } };
  if (runs?.length && runs[0].result?.modulusGPa) {
    const views = await stressStrainViews(
      runs.map((r) => ({ ...r, label: `${shortName(r.file)} (${r.component})` })),
      path,
    );
    return { kind: 'mechanics', lab: { stressStrain: views } };
  }
  if (runs?.length && runs[0].sigma && runs[0].temperatureK !== undefined && j.fit?.arrheniusSigmaT)
    return { kind: 'experiment', lab: { eisArrhenius: [j] } };
  if (runs?.length && runs[0].fit?.frequencyHz && runs[0].fit?.residualReOhm)
    return { kind: 'experiment', lab: { eisFits: runs } };
  if (runs?.length && runs[0].result?.mu !== undefined && runs[0].result?.residualRe)
    return { kind: 'experiment', lab: { kk: runs } };
  return undefined;
};

/** A curve CSV the study wrote (header line, then numbers), as columns. */
const readCurveCsv = (path: string, columns: string[]): number[][] => {
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  const header = lines[0].split(',');
  const index = columns.map((c) => {
    const i = header.indexOf(c);
    if (i < 0) throw new ParseError({ file: path, line: 1, expected: `a column ${c}`, found: lines[0] });
    return i;
  });
  const out = columns.map((): number[] => []);
  lines.slice(1).forEach((line, l) => {
    const cells = line.split(',');
    index.forEach((i, k) => {
      const v = Number(cells[i]);
      if (cells[i] === undefined || cells[i] === '' || !Number.isFinite(v))
        throw new ParseError({
          file: path,
          line: l + 2,
          expected: `a number in column ${columns[k]}`,
          found: cells[i] ?? '',
        });
      out[k].push(v);
    });
  });
  return out;
};

const PDF_COLUMNS = ['r_A', 'Gobs_A-2', 'Gcalc_A-2', 'Gdiff_A-2'];

/** What a study folder holds of scattering and mechanics (study.json `scattering`, mechanics/). */
export const readStudyLab = async (
  dir: string,
  scattering?: StudyScattering,
): Promise<LabInput | undefined> => {
  const lab: LabInput = {};
  if (scattering) {
    const modelPath = join(dir, SCATTERING_CURVE_FILES.model);
    const liclPath = join(dir, SCATTERING_CURVE_FILES.licl);
    let model: PdfFitCurves | undefined;
    let licl: PdfFitCurves | undefined;
    if (existsSync(modelPath)) {
      const [r, gobs, gcalc, gdiff] = readCurveCsv(modelPath, PDF_COLUMNS);
      model = { name: 'model alone', rw: scattering.model?.rw, r, gobs, gcalc, gdiff };
    }
    if (existsSync(liclPath)) {
      const [r, gobs, gcalc, gdiff, gm, gl] = readCurveCsv(liclPath, [
        ...PDF_COLUMNS,
        'Gmodel_part_A-2',
        'GLiCl_part_A-2',
      ]);
      licl = {
        name: 'model + crystalline LiCl',
        rw: scattering.licl?.short.rw,
        r,
        gobs,
        gcalc,
        gdiff,
        parts: [
          { name: 'model part', g: gm },
          { name: 'LiCl part', g: gl },
        ],
      };
    }
    lab.studyScattering = { summary: scattering, model, licl };
  }
  const mechPath = join(dir, 'mechanics', 'mechanics.json');
  if (existsSync(mechPath)) {
    let m: Json;
    try {
      m = JSON.parse(readFileSync(mechPath, 'utf8'));
    } catch (e) {
      throw new ParseError({ file: mechPath, expected: `JSON (${(e as Error).message})` });
    }
    if (!Array.isArray(m?.runs))
      throw new ParseError({ file: mechPath, expected: 'the study mechanics result (runs, directions)' });
    lab.stressStrain = await stressStrainViews(
      m.runs.map((r: Json) => ({
        file: r.file,
        component: r.direction,
        mode: String(r.direction).startsWith('tensile') ? 'tensile' : 'shear',
        result: r.result,
        label: `${r.direction} (seed ${r.seed})`,
      })),
      mechPath,
    );
    lab.mechanicsDirections = m.directions;
  }
  return Object.keys(lab).length ? lab : undefined;
};
