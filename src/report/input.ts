import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { JumpRateArrhenius } from '../analysis/dynamics/jump-arrhenius.js';
import type { TransportResult } from '../analysis/transport/analyse-run.js';
import type { ArrheniusSummary } from '../analysis/transport/arrhenius-summary.js';
import { OligolyteError, OptionError, ParseError } from '../core/errors.js';
import { readStructure } from '../io/registry.js';
import type { StudyResult } from '../study/analysis.js';
import { studyCurveFiles } from '../study/output.js';
import type { ReplicaSummary } from '../study/replicas.js';
import type { StudyStructureRow } from '../study/structure.js';
import { type LabInput, mergeLab, readLabJson, readStudyLab } from './input-lab.js';

/**
 * What a report draws, read from the files the study and analysis commands wrote: a study folder
 * (study.json, run/ thermo and summaries, transport/ MSD curves and density cubes, the final
 * structures), or the JSON of one analysis command (transport, structure rdf, structure vdos).
 */

/**
 * Measured values to draw beside the simulated ones (SCIENCE.md: 1.3 mS/cm at 30 C, Ea 0.47 eV):
 * from the study file's [measured] table (study.json `measured`) or the report's options.
 */
export interface MeasuredValues {
  /** Conductivities (mS/cm) at temperatures (K). */
  points: { msPerCm: number; temperatureK: number }[];
  /** Activation energy (eV); drawn through the first point when there is no fitted line. */
  activationEv?: number;
  /** The measured Arrhenius fit of sigma T: ln(sigma T / (S K/cm)) = intercept + slope / T. */
  sigmaTLine?: { slope: number; intercept: number };
  /** Where the numbers come from (shown in the legend and table). */
  label?: string;
}

/** One run's transport: the analysis result and, when written, its MSD curve. */
export interface TransportRunView {
  label: string;
  temperatureK: number;
  result: TransportResult;
  /** Mean temperature and density of the production run (study only). */
  measuredTemperatureK?: number;
  densityGPerCm3?: number;
  /** MSD at every written lag (ps, A^2). */
  msd?: { lagPs: number[]; msdA2: number[] };
}

/** One stage's thermo trace; `offsetPs` places it on the study's time line. */
export interface ThermoStage {
  name: string;
  /** Series temperature of a branch stage (undefined for the shared stages). */
  branchK?: number;
  offsetPs: number;
  timePs: number[];
  columns: Record<string, number[]>;
}

/** A stage's mean and standard error of each thermo quantity (run/summary.json). */
export interface StageAverages {
  stage: string;
  targetTemperatureK?: number;
  discardedPs?: number;
  temperatureK: { mean: number; standardError: number | null };
  potentialKcalMol: { mean: number; standardError: number | null };
  pressureAtm: { mean: number; standardError: number | null };
  densityGPerCm3: { mean: number; standardError: number | null };
}

/** run/summary.json's stages, the series branches' named T<T>K/<stage>. */
const readStageAverages = (runDir: string): StageAverages[] | undefined => {
  const path = join(runDir, 'summary.json');
  if (!existsSync(path)) return undefined;
  const j = readJson(path) as {
    stages?: (Omit<StageAverages, 'stage'> & { name: string })[];
    series?: { temperatureK: number; stages: (Omit<StageAverages, 'stage'> & { name: string })[] }[];
  };
  const row = (s: Omit<StageAverages, 'stage'> & { name: string }, stage: string): StageAverages => ({
    stage,
    targetTemperatureK: s.targetTemperatureK,
    discardedPs: s.discardedPs,
    temperatureK: s.temperatureK,
    potentialKcalMol: s.potentialKcalMol,
    pressureAtm: s.pressureAtm,
    densityGPerCm3: s.densityGPerCm3,
  });
  return [
    ...(j.stages ?? []).map((s) => row(s, s.name)),
    ...(j.series ?? []).flatMap((b) => b.stages.map((s) => row(s, `T${b.temperatureK}K/${s.name}`))),
  ];
};

/** The protocol as run/protocol.json records it (the fields the report shows). */
export interface ProtocolStageRecord {
  name: string;
  ensemble: string;
  temperatureK: number;
  timeStepFs: number;
  steps: number;
  dumpEvery?: number;
  thermoEvery?: number;
  pressureAtm?: number;
}
export interface ProtocolRecord {
  engine?: string;
  forcefield?: string;
  seed?: number;
  stages: ProtocolStageRecord[];
  series?: {
    temperaturesK: number[];
    stages: ProtocolStageRecord[];
    parallel?: number;
    /** Steps of each stage per temperature, when the times differ between temperatures. */
    stepsPerTemperature?: number[][];
  };
}

/** A series temperature's steps for the stage at index k (its own, if the protocol gives them per temperature). */
export const seriesStageSteps = (
  series: NonNullable<ProtocolRecord['series']>,
  temperatureK: number,
  k: number,
) => {
  const b = series.temperaturesK.indexOf(temperatureK);
  return (b >= 0 ? series.stepsPerTemperature?.[b]?.[k] : undefined) ?? series.stages[k].steps;
};

/** A structure to draw in 3-D: a final frame, its oligomer units and bond rules. */
export interface ViewerInput {
  temperatureK: number;
  source: string;
  symbols: string[];
  positions: Float64Array;
  cell: number[];
  /** Atom lists of the oligomer units (from the structure analysis). */
  units: number[][];
  /** Bond rules: pair "A-B" and the longest bond (A). */
  bondRules: { pair: string; breakA: number }[];
  densities: { temperatureK: number; cube: string }[];
}

/**
 * A study of several independent models (`[model] replicas`, one folder `seed<S>/` per model):
 * the replica average the study wrote at its end and the one model the single-model sections show.
 */
export interface ReplicaView {
  /** replicas.json as written (non-finite numbers as null); undefined until every model is done. */
  summary?: ReplicaSummary;
  /** Its path (or where it will be). */
  summaryPath: string;
  /** Seeds whose model is finished (seed<S>/study.json written), in numeric order. */
  seedsDone: number[];
  /** The seed whose folder the model, thermo, MSD, Arrhenius, structure ... sections show. */
  shownSeed: number;
}

export interface ReportInput {
  /** The folder or file the report was made from. */
  source: string;
  /** Where report.html and figures/ go. */
  outDir: string;
  name: string;
  quick: boolean;
  kind: 'study' | 'transport' | 'rdf' | 'vdos' | 'scatter' | 'mechanics' | 'experiment';
  transport?: { runs: TransportRunView[]; arrhenius?: ArrheniusSummary; windowK?: [number, number] };
  study?: StudyResult;
  protocol?: ProtocolRecord;
  thermo: ThermoStage[];
  /** Each stage's averages as run/summary.json gives them (block-averaged standard errors). */
  stageAverages?: StageAverages[];
  model?: { symbols: string[]; cell: number[]; source: string };
  structure?: StudyStructureRow[];
  jumpRateArrhenius?: JumpRateArrhenius;
  /** `structure rdf --json` runs (as written). */
  // biome-ignore lint/suspicious/noExplicitAny: the analysis JSON as written; sections read the fields they draw
  rdf?: any[];
  /** `structure vdos --json` runs (as written). */
  // biome-ignore lint/suspicious/noExplicitAny: as above
  vdos?: any[];
  viewer?: ViewerInput;
  measured?: MeasuredValues;
  /** Per-frame dihedral of the first links at one temperature (structure/T<T>K-dihedrals.csv). */
  dihedralTraces?: DihedralTraces;
  /** Scattering, mechanics and experiment analyses (input-lab.ts). */
  lab?: LabInput;
  /** A replica study: the replica average and the seed the single-model sections show. */
  replicas?: ReplicaView;
}

export interface DihedralTraces {
  temperatureK: number;
  /** Links shown, of `links` in the file. */
  shown: number;
  links: number;
  traces: { link: number; timePs: number[]; rawDeg: number[]; filteredDeg: number[] }[];
}

/** Links drawn frame by frame (the file has every link; a few show what the filter does). */
const TRACE_LINKS = 4;

/** The first links' dihedral series at a temperature, from the study's CSV, when written. */
const readDihedralTraces = (dir: string, temperatureK: number): DihedralTraces | undefined => {
  const path = join(dir, studyCurveFiles(temperatureK).dihedralsCsv);
  if (!existsSync(path)) return undefined;
  const c = readNumericCsv(path, ['link', 'time_ps', 'dihedral_deg', 'dihedral_filtered_deg']);
  const byLink = new Map<number, DihedralTraces['traces'][number]>();
  c.link.forEach((link, i) => {
    let t = byLink.get(link);
    if (!t) {
      t = { link, timePs: [], rawDeg: [], filteredDeg: [] };
      byLink.set(link, t);
    }
    t.timePs.push(c.time_ps[i]);
    t.rawDeg.push(c.dihedral_deg[i]);
    t.filteredDeg.push(c.dihedral_filtered_deg[i]);
  });
  const traces = [...byLink.values()].slice(0, TRACE_LINKS);
  return { temperatureK, shown: traces.length, links: byLink.size, traces };
};

const readJson = (path: string): unknown => {
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ParseError({ file: path, expected: `JSON (${(e as Error).message})` });
  }
};

/** A numeric CSV with a header line, as columns (the study's thermo.csv and MSD files). */
export const readNumericCsv = (
  path: string,
  keep?: string[],
  options: { growing?: boolean } = {},
): Record<string, number[]> => {
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  // A file still being written (a running stage) may end in a partial line: left out.
  if (options.growing && !text.endsWith('\n')) lines.pop();
  if (lines.length === 0 || lines[0] === '') return Object.fromEntries((keep ?? []).map((n) => [n, []]));
  const header = lines[0].split(',');
  const wanted = keep ?? header;
  const index = wanted.map((name) => {
    const i = header.indexOf(name);
    if (i < 0)
      throw new ParseError({ file: path, line: 1, expected: `a column ${name}`, found: header.join(',') });
    return i;
  });
  const out: Record<string, number[]> = Object.fromEntries(wanted.map((n) => [n, []]));
  for (let l = 1; l < lines.length; l++) {
    if (lines[l] === '') continue;
    const cells = lines[l].split(',');
    wanted.forEach((name, k) => {
      const v = Number(cells[index[k]]);
      if (cells[index[k]] === undefined || cells[index[k]] === '' || !Number.isFinite(v))
        throw new ParseError({
          file: path,
          line: l + 1,
          expected: `a number in column ${name}`,
          found: cells[index[k]] ?? '',
        });
      out[name].push(v);
    });
  }
  return out;
};

const THERMO_COLUMNS = ['time_fs', 'temperature_K', 'potential_kcal_mol', 'pressure_atm', 'density_g_cm3'];

/** Numbered stage folders (01-relax, 02-melt, ...) in run order. */
const stageFolders = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => /^\d+-/.test(f) && existsSync(join(dir, f, 'thermo.csv')))
        .sort()
    : [];

const readStage = (
  dir: string,
  folder: string,
  offsetPs: number,
  branchK?: number,
  growing = false,
): ThermoStage => {
  const c = readNumericCsv(join(dir, folder, 'thermo.csv'), THERMO_COLUMNS, { growing });
  const timePs = c.time_fs.map((t) => t / 1000);
  return { name: folder.replace(/^\d+-/, ''), branchK, offsetPs, timePs, columns: c };
};

/** Every stage's thermo: the shared stages one after another, then each series branch from their end (`growing`: files of a running stage may end in a partial line). */
export const readThermo = (runDir: string, temperaturesK: number[], growing = false): ThermoStage[] => {
  const out: ThermoStage[] = [];
  let offset = 0;
  for (const f of stageFolders(runDir)) {
    const s = readStage(runDir, f, offset, undefined, growing);
    out.push(s);
    offset += s.timePs[s.timePs.length - 1] ?? 0;
  }
  for (const T of temperaturesK) {
    const dir = join(runDir, 'series', `T${T}K`);
    let t = offset;
    for (const f of stageFolders(dir)) {
      const s = readStage(dir, f, t, T, growing);
      out.push(s);
      t += s.timePs[s.timePs.length - 1] ?? 0;
    }
  }
  return out;
};

/**
 * The temperature the 3-D view and the dihedral traces show: the highest in the Arrhenius window
 * (the best-sampled of the fitted runs).
 */
const shownTemperature = (study: StudyResult): number | undefined => {
  const inWindow = study.rows.filter(
    (r) => r.temperatureK >= study.windowK[0] && r.temperatureK <= study.windowK[1],
  );
  return (inWindow.length ? inWindow : study.rows).at(-1)?.temperatureK;
};

/** The structure drawn in 3-D: the last frame of the production at the chosen temperature. */
const readViewer = async (dir: string, study: StudyResult): Promise<ViewerInput | undefined> => {
  const densities = study.rows
    .map((r) => ({
      temperatureK: r.temperatureK,
      path: join(dir, studyCurveFiles(r.temperatureK).densityCube),
    }))
    .filter((d) => existsSync(d.path))
    .map((d) => ({ temperatureK: d.temperatureK, cube: readFileSync(d.path, 'utf8') }));
  const T = shownTemperature(study);
  if (T === undefined) return undefined;
  const branch = join(dir, 'run', 'series', `T${T}K`);
  const last = stageFolders(branch).at(-1);
  const finalPath = last ? join(branch, last, 'final.extxyz') : join(dir, 'model.extxyz');
  if (!existsSync(finalPath)) return undefined;
  const s = await readStructure(finalPath);
  const lattice = s.frame.lattice;
  if (!lattice) return undefined;
  const row = study.structure?.find((r) => r.temperatureK === T) ?? study.structure?.[0];
  return {
    temperatureK: T,
    source: finalPath,
    symbols: Array.from({ length: s.topology.natoms }, (_, i) => s.topology.symbol(i)),
    positions: Float64Array.from(s.frame.positions),
    cell: Array.from(lattice.matrix),
    units: row?.topology.oligomers.map((o) => o.atoms) ?? [],
    bondRules: row?.topology.rules.map((r) => ({ pair: r.pair, breakA: r.breakA })) ?? [],
    densities,
  };
};

const readDihedralTracesAt = (dir: string, study: StudyResult): DihedralTraces | undefined => {
  const T = shownTemperature(study);
  return T === undefined ? undefined : readDihedralTraces(dir, T);
};

/**
 * The model folders of a replica study (`seed<S>/`), in numeric seed order (seed10 after seed9),
 * whether or not the model is finished.
 */
export const seedFolders = (dir: string): { seed: number; dir: string }[] =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => /^seed\d+$/.test(f) && statSync(join(dir, f)).isDirectory())
        .map((f) => ({ seed: Number(f.slice(4)), dir: join(dir, f) }))
        .sort((a, b) => a.seed - b.seed)
    : [];

const isEstimate = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && 'value' in e && 'low95' in e && 'high95' in e;

/** replicas.json (src/study/output.ts writeReplicaOutputs), checked for the fields the report draws. */
export const readReplicaSummary = (path: string): ReplicaSummary => {
  const r = readJson(path) as ReplicaSummary;
  const ok =
    Array.isArray(r?.seeds) &&
    Array.isArray(r.rows) &&
    r.rows.every(
      (row) =>
        typeof row.temperatureK === 'number' &&
        isEstimate(row.diffusivityCm2PerS) &&
        isEstimate(row.conductivityMsPerCm) &&
        Array.isArray(row.perSeedD) &&
        row.perSeedD.length === r.seeds.length,
    ) &&
    isEstimate(r.activationEv) &&
    Array.isArray(r.perSeedActivationEv) &&
    isEstimate(r.extrapolation?.diffusivityCm2PerS) &&
    isEstimate(r.extrapolation?.conductivityMsPerCm) &&
    Array.isArray(r.windowK);
  if (!ok)
    throw new ParseError({
      file: path,
      expected:
        'a replica average (seeds, rows of temperatureK, diffusivityCm2PerS, conductivityMsPerCm and perSeedD per seed, activationEv, perSeedActivationEv, extrapolation, windowK)',
    });
  return r;
};

/**
 * A replica study's folder: the first finished model (lowest seed) for the single-model sections,
 * the replica average from replicas.json (written when every model is done), and the mechanics,
 * which the study runs once for all models in DIR/mechanics/.
 */
const readReplicaFolder = async (dir: string): Promise<ReportInput | undefined> => {
  const done = seedFolders(dir).filter((s) => existsSync(join(s.dir, 'study.json')));
  if (done.length === 0) return undefined;
  const shown = await readStudyFolder(done[0].dir);
  const summaryPath = join(dir, 'replicas.json');
  const summary = existsSync(summaryPath) ? readReplicaSummary(summaryPath) : undefined;
  const shared = await readStudyLab(dir);
  return {
    ...shown,
    source: dir,
    outDir: dir,
    lab: shared ? mergeLab(shown.lab, shared) : shown.lab,
    replicas: { summary, summaryPath, seedsDone: done.map((s) => s.seed), shownSeed: done[0].seed },
  };
};

const readStudyFolder = async (dir: string): Promise<ReportInput> => {
  const studyPath = join(dir, 'study.json');
  if (!existsSync(studyPath)) {
    const replicas = await readReplicaFolder(dir);
    if (replicas) return replicas;
    throw new OligolyteError(
      `${dir}: no study.json here; give a study's output folder or the JSON of transport or structure (rdf, vdos)`,
    );
  }
  const study = readJson(studyPath) as StudyResult;
  if (!Array.isArray(study.rows) || !study.arrhenius)
    throw new ParseError({ file: studyPath, expected: 'a study result (rows, arrhenius)' });
  const runDir = join(dir, 'run');
  const protocolPath = join(runDir, 'protocol.json');
  const protocol = existsSync(protocolPath) ? (readJson(protocolPath) as ProtocolRecord) : undefined;
  const runs: TransportRunView[] = study.rows.map((row) => {
    const msdPath = join(dir, studyCurveFiles(row.temperatureK).msdCsv);
    const msd = existsSync(msdPath) ? readNumericCsv(msdPath, ['lag_ps', 'msd_A2']) : undefined;
    return {
      label: `${row.temperatureK} K`,
      temperatureK: row.temperatureK,
      result: row.result,
      measuredTemperatureK: row.measuredTemperatureK,
      densityGPerCm3: row.densityGPerCm3,
      msd: msd && { lagPs: msd.lag_ps, msdA2: msd.msd_A2 },
    };
  });
  const modelPath = join(dir, 'model.extxyz');
  let model: ReportInput['model'];
  if (existsSync(modelPath)) {
    const s = await readStructure(modelPath);
    model = {
      symbols: Array.from({ length: s.topology.natoms }, (_, i) => s.topology.symbol(i)),
      cell: s.frame.lattice ? Array.from(s.frame.lattice.matrix) : [],
      source: modelPath,
    };
  }
  const m = study.measured;
  const measured: MeasuredValues | undefined = m?.rows.length
    ? {
        points: m.rows.map((r) => ({ msPerCm: r.measuredMsPerCm, temperatureK: r.temperatureK })),
        activationEv: m.measuredFit?.arrheniusSigmaT.activationEv.value,
        sigmaTLine: m.measuredFit
          ? {
              slope: m.measuredFit.arrheniusSigmaT.line.slope,
              intercept: m.measuredFit.arrheniusSigmaT.line.intercept,
            }
          : undefined,
        label: 'the study file',
      }
    : undefined;
  return {
    measured,
    source: dir,
    outDir: dir,
    name: study.name,
    quick: study.quick,
    kind: 'study',
    transport: { runs, arrhenius: study.arrhenius, windowK: study.windowK },
    study,
    protocol,
    thermo: readThermo(runDir, protocol?.series?.temperaturesK ?? study.rows.map((r) => r.temperatureK)),
    stageAverages: readStageAverages(runDir),
    model,
    structure: study.structure,
    jumpRateArrhenius: study.jumpRateArrhenius,
    viewer: await readViewer(dir, study),
    dihedralTraces: readDihedralTracesAt(dir, study),
    lab: await readStudyLab(dir, study.scattering),
  };
};

const readAnalysisJson = (path: string, outDir: string): ReportInput => {
  // biome-ignore lint/suspicious/noExplicitAny: analysis JSON as written
  const j = readJson(path) as any;
  const runs = j?.runs;
  const base = {
    source: path,
    outDir,
    name: basename(path).replace(/\.json$/i, ''),
    quick: false,
    thermo: [],
  };
  if (!Array.isArray(runs) || runs.length === 0)
    throw new ParseError({
      file: path,
      expected: 'the JSON of a transport or structure command (a "runs" list)',
    });
  if (runs[0].diffusivity) {
    const views: TransportRunView[] = runs.map((r) => ({
      label: `${r.file} (${r.temperatureK} K)`,
      temperatureK: r.temperatureK,
      result: r,
      msd: r.statistics && { lagPs: r.statistics.lagsPs, msdA2: r.statistics.msdA2 },
    }));
    return { ...base, kind: 'transport', transport: { runs: views, arrhenius: j.arrhenius ?? undefined } };
  }
  if (runs[0].partials) return { ...base, kind: 'rdf', rdf: runs };
  if (runs[0].elements && runs[0].frequenciesTHz) return { ...base, kind: 'vdos', vdos: runs };
  throw new ParseError({
    file: path,
    expected:
      'runs of transport (diffusivity), structure rdf (partials) or structure vdos (frequenciesTHz) results, or the JSON of scatter fit/pdf/xrd/sq/pdf-md, mechanics stress-strain/elastic or eis fit/kk/arrhenius',
  });
};

/** A report of one scattering, mechanics or experiment JSON; undefined for other JSON. */
const readLabReport = async (path: string, outDir: string): Promise<ReportInput | undefined> => {
  const lab = await readLabJson(readJson(path), path);
  if (!lab) return undefined;
  const name = basename(path).replace(/\.json$/i, '');
  return { source: path, outDir, name, quick: false, thermo: [], kind: lab.kind, lab: lab.lab };
};

/**
 * The report input from a study's output folder or the JSON of one analysis command. A JSON
 * report goes beside its file (outDir: the file's folder unless given).
 */
export const readReportInput = async (
  path: string,
  options: {
    outDir?: string;
    measured?: MeasuredValues;
    /** JSON of structure rdf / vdos to add to the report (their sections join the page). */
    extra?: string[];
  } = {},
): Promise<ReportInput> => {
  if (!existsSync(path)) throw new OligolyteError(`${path}: no such file or folder`);
  const input = statSync(path).isDirectory()
    ? await readStudyFolder(path)
    : ((await readLabReport(path, options.outDir ?? join(path, '..'))) ??
      readAnalysisJson(path, options.outDir ?? join(path, '..')));
  for (const file of options.extra ?? []) {
    if (!existsSync(file)) throw new OligolyteError(`${file}: no such file`);
    const lab = await readLabJson(readJson(file), file);
    if (lab) {
      input.lab = mergeLab(input.lab, lab.lab);
      continue;
    }
    const more = readAnalysisJson(file, input.outDir);
    if (more.kind === 'rdf') input.rdf = [...(input.rdf ?? []), ...(more.rdf ?? [])];
    else if (more.kind === 'vdos') input.vdos = [...(input.vdos ?? []), ...(more.vdos ?? [])];
    else
      throw new OptionError(
        `${file}: only the JSON of structure rdf/vdos, scatter, mechanics or eis commands can be added to a report (this is ${more.kind})`,
        { option: 'extra' },
      );
  }
  if (options.outDir) input.outDir = options.outDir;
  // Values given here join (or replace the label of) those of the study file.
  if (options.measured)
    input.measured = input.measured
      ? {
          ...input.measured,
          points: [...input.measured.points, ...options.measured.points],
          activationEv: options.measured.activationEv ?? input.measured.activationEv,
          label: options.measured.label ?? input.measured.label,
        }
      : options.measured;
  return input;
};
