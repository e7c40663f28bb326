import { dirname, resolve } from 'node:path';
import { supercell } from '../builders/supercell.js';
import { OptionError } from '../core/errors.js';
import type { CrystalTarget, FitSpec, ReferenceConfiguration } from '../forcefield/fit/fit.js';
import type { FitParameter } from '../forcefield/fit/parameters.js';
import { type BornTerm, BUILTIN_FORCE_FIELDS } from '../forcefield/force-field.js';
import { loadForceField } from '../forcefield/load.js';
import { type OpenOptions, readFrames, readStructure } from '../io/registry.js';
import { readSettingsFile } from '../io/settings-file.js';

/**
 * The fit input file (TOML or JSON; examples/ff/laoc-v5-fit.toml): start and baseline force
 * fields, reference data files, Born terms added by element pair, the parameters with start values
 * and bounds, weights and misfit scales, the validation fraction and seed, and crystal targets.
 * Paths are relative to the file. Every key is checked; an unknown one is an error (a typo would
 * otherwise be a silently ignored weight).
 */
export interface FitInput {
  spec: FitSpec;
  dataFiles: string[];
  /** Per data file: use only its first n frames (undefined: all). */
  dataFirst: (number | undefined)[];
  /** Use only the first n frames of the data files, in order (a data set that is still growing, as it stood at the fit). */
  dataFrames?: number;
  crystals: { name: string; file: string; repeat: [number, number, number] }[];
}

type Raw = Record<string, unknown>;

const TOP_KEYS = [
  'name',
  'description',
  'start',
  'baseline',
  'data',
  'data_frames',
  'seed',
  'validation_fraction',
  'max_iterations',
  'energy_scale_ev_per_atom',
  'stress_scale_gpa',
  'weights',
  'born',
  'parameter',
  'crystal',
];

export const readFitInput = (path: string): FitInput => {
  const raw = readSettingsFile(path, 'fit input');
  const dir = dirname(resolve(path));
  const fail = (key: string, what: string): never => {
    throw new OptionError(`${path}: ${key}: expected ${what}`);
  };
  const obj = (v: unknown, key: string): Raw =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Raw) : fail(key, 'a table');
  const num = (v: unknown, key: string, ok: (x: number) => boolean = Number.isFinite): number =>
    typeof v === 'number' && ok(v) ? v : fail(key, 'a number in range');
  const str = (v: unknown, key: string): string =>
    typeof v === 'string' && v !== '' ? v : fail(key, 'a string');
  const known = (t: Raw, keys: string[], where: string) => {
    for (const k of Object.keys(t))
      if (!keys.includes(k)) fail(`${where}${k}`, `one of ${keys.join(', ')} (unknown key)`);
  };
  const top = obj(raw, '(file)');
  known(top, TOP_KEYS, '');
  const weights = obj(top.weights ?? {}, 'weights');
  known(weights, ['forces', 'energies', 'stresses', 'crystal_forces', 'crystal_stress'], 'weights.');
  const weight = (k: string, d: number) =>
    weights[k] === undefined ? d : num(weights[k], `weights.${k}`, (x) => x >= 0);
  const born: Record<string, BornTerm> = {};
  for (const [pair, v] of Object.entries(obj(top.born ?? {}, 'born'))) {
    const t = obj(v, `born.${pair}`);
    known(t, ['a', 'rho', 'sigma', 'c', 'd'], `born.${pair}.`);
    born[pair] = {
      a: num(t.a, `born.${pair}.a`, (x) => x >= 0),
      rho: num(t.rho, `born.${pair}.rho`, (x) => x > 0),
      sigma: num(t.sigma, `born.${pair}.sigma`),
      c: num(t.c ?? 0, `born.${pair}.c`),
      d: num(t.d ?? 0, `born.${pair}.d`),
    };
  }
  const list = (v: unknown, key: string): unknown[] => (Array.isArray(v) ? v : fail(key, 'a list'));
  const parameters: FitParameter[] = list(top.parameter ?? [], 'parameter').map((v, k) => {
    const t = obj(v, `parameter[${k}]`);
    known(t, ['path', 'initial', 'lower', 'upper'], `parameter[${k}].`);
    return {
      path: str(t.path, `parameter[${k}].path`),
      initial: num(t.initial, `parameter[${k}].initial`),
      lower: num(t.lower, `parameter[${k}].lower`),
      upper: num(t.upper, `parameter[${k}].upper`),
    };
  });
  if (parameters.length === 0) fail('parameter', 'at least one [[parameter]]');
  const crystals = list(top.crystal ?? [], 'crystal').map((v, k) => {
    const t = obj(v, `crystal[${k}]`);
    known(t, ['name', 'file', 'repeat'], `crystal[${k}].`);
    const rep = list(t.repeat ?? [1, 1, 1], `crystal[${k}].repeat`).map((x) =>
      num(x, `crystal[${k}].repeat`, (n) => Number.isInteger(n) && n >= 1 && n <= 10),
    );
    if (rep.length !== 3) fail(`crystal[${k}].repeat`, 'three whole numbers');
    return {
      name: str(t.name, `crystal[${k}].name`),
      file: resolve(dir, str(t.file, `crystal[${k}].file`)),
      repeat: rep as [number, number, number],
    };
  });
  // A data entry is a file, or { file, first = n }: its first n frames only (a file that has grown
  // since the fit, as it stood then).
  const dataEntries = list(top.data, 'data').map((f, k) => {
    if (typeof f === 'string') return { file: resolve(dir, str(f, `data[${k}]`)), first: undefined };
    const t = obj(f, `data[${k}]`);
    known(t, ['file', 'first'], `data[${k}].`);
    return {
      file: resolve(dir, str(t.file, `data[${k}].file`)),
      first: num(t.first, `data[${k}].first`, (x) => Number.isInteger(x) && x >= 1),
    };
  });
  const dataFiles = dataEntries.map((e) => e.file);
  if (dataFiles.length === 0) fail('data', 'at least one reference data file');
  // A force field is a built-in name or a JSON file, the file relative to the fit input as every path here.
  const forceField = (name: string) => loadForceField(BUILTIN_FORCE_FIELDS[name] ? name : resolve(dir, name));
  const start = forceField(str(top.start, 'start'));
  const spec: FitSpec = {
    name: str(top.name, 'name'),
    description: typeof top.description === 'string' ? top.description : '',
    start,
    baseline: top.baseline === undefined ? start : forceField(str(top.baseline, 'baseline')),
    born,
    parameters,
    weights: {
      forces: weight('forces', 1),
      energies: weight('energies', 0),
      stresses: weight('stresses', 0),
      crystalForces: weight('crystal_forces', 0),
      crystalStress: weight('crystal_stress', 0),
    },
    energyScaleEvPerAtom: num(
      top.energy_scale_ev_per_atom ?? 0.005,
      'energy_scale_ev_per_atom',
      (x) => x > 0,
    ),
    stressScaleGPa: num(top.stress_scale_gpa ?? 0.5, 'stress_scale_gpa', (x) => x > 0),
    validationFraction: num(top.validation_fraction ?? 0.2, 'validation_fraction', (x) => x >= 0 && x < 1),
    seed: num(top.seed ?? 1, 'seed', Number.isInteger),
    maxIterations: num(top.max_iterations ?? 50, 'max_iterations', (x) => Number.isInteger(x) && x >= 1),
  };
  const dataFrames =
    top.data_frames === undefined
      ? undefined
      : num(top.data_frames, 'data_frames', (x) => Number.isInteger(x) && x >= 1);
  return { spec, dataFiles, dataFirst: dataEntries.map((e) => e.first), dataFrames, crystals };
};

/** Every frame of the reference files: those without forces are an error naming the frame. */
export const readReferenceData = async (
  files: string[],
  maxFrames?: number,
  read: OpenOptions = {},
  firstPerFile: (number | undefined)[] = [],
): Promise<ReferenceConfiguration[]> => {
  const out: ReferenceConfiguration[] = [];
  for (const [f, file] of files.entries()) {
    let k = 0;
    const first = firstPerFile[f];
    for await (const s of readFrames(file, read)) {
      if (maxFrames !== undefined && out.length >= maxFrames) break;
      if (first !== undefined && k >= first) break;
      k++;
      if (!s.frame.forces)
        throw new OptionError(`${file}: frame ${k} has no forces (reference data need forces, eV/A)`);
      out.push({
        id: out.length + 1,
        source: `${file}#${k}`,
        structure: s,
        energyEv: s.frame.energy,
        forcesEvA: s.frame.forces,
        stressEvA3: s.frame.stress,
      });
    }
    if (first !== undefined && k < first)
      throw new OptionError(`${file}: first = ${first}, but the file holds only ${k} frames`);
  }
  if (maxFrames !== undefined && out.length < maxFrames)
    throw new OptionError(`data_frames = ${maxFrames}, but the data files hold only ${out.length} frames`);
  return out;
};

export const readCrystalTargets = async (crystals: FitInput['crystals']): Promise<CrystalTarget[]> =>
  Promise.all(
    crystals.map(async (c) => ({
      name: c.name,
      structure: supercell(await readStructure(c.file), c.repeat),
    })),
  );
