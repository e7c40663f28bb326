import { dirname, resolve } from 'node:path';
import { ParseError } from '../core/errors.js';
import { type Cp2kSettings, cp2kSettingsFromObject } from '../engines/cp2k/settings.js';
import { DEFAULT_FORCE_FIELD } from '../forcefield/force-field.js';
import { Fields, type Raw } from '../io/settings-fields.js';
import { readSettingsFile } from '../io/settings-file.js';

/**
 * The plan of a DFT reference data set, as data: which configurations to sample and with which
 * CP2K settings. The file form (TOML or JSON, snake_case keys, paths relative to the file):
 *
 *   output = "laoc-pbe-d3.extxyz"   # the data set (extended XYZ)
 *   work_dir = "work"              # one CP2K folder per configuration (kept; results resume)
 *   seed = 1
 *   [cp2k]                         # CP2K settings: a preset plus any overrides
 *   preset = "pbe-d3"
 *   [[crystal]]                    # strained and rattled copies of a crystal
 *   name = "LiAlCl4"
 *   structure = "LiAlCl4.cif"
 *   supercell = [1, 1, 1]
 *   max_strain = 0.03              # each strain component uniform in [-max, max]
 *   rattles = [0.05, 0.1]          # Gaussian displacement per Cartesian component (A)
 *   count = 4                      # configurations per rattle amplitude
 *   [[glass]]                      # frames of short MD with a force field
 *   name = "LAOC0b-2t"
 *   composition = "LAOC^0b"
 *   trimers = 2
 *   density = 1.9                  # g/cm3
 *   forcefield = "laoc-v4"
 *   temperatures = [300, 600, 900] # K
 *   frames = 3                     # per temperature
 *   equilibrate_ps = 2
 *   spacing_ps = 1
 *   rattle = 0                     # optional extra displacement (A)
 *   [[stretch]]                    # one bond of a trajectory frame pulled apart, in steps
 *   name = "AIMD400-AlCl"
 *   trajectory = "aimd.extxyz"
 *   frames = [150, 300, 450]       # 0-based frame indices
 *   bond = "Al-Cl"                 # centre-ligand elements; the ligand moves
 *   bonded_within = 2.6            # A: the pairs counted as bonded
 *   stretches = [0.3, 0.6, 0.9]    # A added to the bond length, along the bond (negative: closer)
 *   [[frames]]                     # frames of a trajectory as they are
 *   name = "ions-v1-400K"
 *   trajectory = "run/trajectory.extxyz"
 *   frames = [100, 200]            # 0-based frame indices
 *
 * Configurations run interleaved across sources (one of each source in turn: crystals in file
 * order, then glasses), so a data set stopped early still covers every source; `priority = 2` (or
 * more) on a source defers it until every source of a lower number has finished.
 */

export interface CrystalSource {
  kind: 'crystal';
  name: string;
  /** Run order: sources of priority 1 (the default) first, interleaved, then priority 2, ... */
  priority: number;
  structure: string;
  supercell: [number, number, number];
  maxStrain: number;
  rattlesA: number[];
  count: number;
  /** Include the unstrained, unrattled crystal as the first configuration. */
  includeIdeal: boolean;
}

export interface GlassSource {
  kind: 'glass';
  name: string;
  priority: number;
  composition: string;
  trimers: number;
  densityGPerCm3: number;
  forcefield: string;
  temperaturesK: number[];
  frames: number;
  equilibratePs: number;
  spacingPs: number;
  timeStepFs: number;
  rattleA: number;
}

/**
 * Bond-breaking (and compressed) configurations: in each chosen frame of a trajectory, one bonded
 * centre-ligand pair (drawn by the seed) with the ligand moved along the bond by each stretch
 * (negative: towards the centre). A force field whose bonds can break (a bond-free ionic model)
 * needs forces and energies beyond the bond lengths MD samples, on both sides.
 */
export interface StretchSource {
  kind: 'stretch';
  name: string;
  priority: number;
  trajectory: string;
  /** 0-based frame indices. */
  frames: number[];
  centre: string;
  ligand: string;
  bondedWithinA: number;
  stretchesA: number[];
}

/** Frames of a trajectory as they are (e.g. the MD of a force field whose chemistry is in question). */
export interface FramesSource {
  kind: 'frames';
  name: string;
  priority: number;
  trajectory: string;
  /** 0-based frame indices. */
  frames: number[];
}

export type DatasetSource = CrystalSource | GlassSource | StretchSource | FramesSource;

export interface DatasetPlan {
  file: string;
  output: string;
  workDir: string;
  seed: number;
  settings: Cp2kSettings;
  sources: DatasetSource[];
}

const names = (f: Fields, key: string, found: string[]) => {
  const n = f.str('name', undefined);
  if (!/^[A-Za-z0-9_.^-]+$/.test(n)) throw f.error('name', 'a name of letters, digits, _ . ^ -', n);
  if (found.includes(n)) throw f.error('name', `a name no other ${key} has`, n);
  found.push(n);
  return n;
};

const numberList = (
  f: Fields,
  key: string,
  def: number[] | undefined,
  test: (v: number) => boolean,
  what: string,
) => {
  const v = f.use(key) ?? def;
  if (!Array.isArray(v) || v.length === 0 || v.some((x) => typeof x !== 'number' || !test(x)))
    throw f.error(key, `a list of ${what}`, v);
  return v as number[];
};

/** The `trajectory` (relative to the plan) and 0-based `frames` of a source that reads a trajectory. */
const trajectoryFrames = (g: Fields, here: string) => ({
  trajectory: resolve(here, g.str('trajectory', undefined)),
  frames: numberList(g, 'frames', undefined, (v) => Number.isInteger(v) && v >= 0, 'frame indices (0-based)'),
});

/** Validate a parsed plan; `file` names it in errors and anchors relative paths. */
export const datasetPlanFromObject = (raw: unknown, file: string): DatasetPlan => {
  const f = new Fields(raw as Raw, '', file);
  const here = dirname(file);
  const plan: DatasetPlan = {
    file,
    output: resolve(here, f.str('output', undefined)),
    workDir: resolve(here, f.str('work_dir', 'dft-work')),
    seed: f.whole('seed', 1),
    settings: cp2kSettingsFromObject(f.use('cp2k') ?? {}, file, 'cp2k'),
    sources: [],
  };
  const seen: string[] = [];
  const crystals = f.use('crystal') ?? [];
  if (!Array.isArray(crystals)) throw f.error('crystal', 'a list of [[crystal]] tables', crystals);
  crystals.forEach((c, k) => {
    const g = new Fields(c as Raw, `crystal[${k + 1}]`, file);
    const sc = g.use('supercell') ?? [1, 1, 1];
    if (!Array.isArray(sc) || sc.length !== 3 || sc.some((x) => !Number.isInteger(x) || x < 1))
      throw g.error('supercell', 'three whole repeat counts', sc);
    plan.sources.push({
      kind: 'crystal',
      name: names(g, 'source', seen),
      priority: g.whole('priority', 1, 1),
      structure: resolve(here, g.str('structure', undefined)),
      supercell: sc as [number, number, number],
      maxStrain: g.num('max_strain', 0.03, (v) => v >= 0 && v < 0.3, 'a strain between 0 and 0.3'),
      rattlesA: numberList(g, 'rattles', [0.05, 0.1], (v) => v >= 0 && v < 1, 'displacements (A) below 1'),
      count: g.whole('count', 4, 1),
      includeIdeal: g.bool('include_ideal', true),
    });
    g.done();
  });
  const glasses = f.use('glass') ?? [];
  if (!Array.isArray(glasses)) throw f.error('glass', 'a list of [[glass]] tables', glasses);
  glasses.forEach((c, k) => {
    const g = new Fields(c as Raw, `glass[${k + 1}]`, file);
    const forcefield = g.str('forcefield', DEFAULT_FORCE_FIELD);
    plan.sources.push({
      kind: 'glass',
      name: names(g, 'source', seen),
      priority: g.whole('priority', 1, 1),
      composition: g.str('composition', 'LAOC^0b'),
      trimers: g.whole('trimers', 2, 1),
      densityGPerCm3: g.positive('density', 1.9, 'g/cm3'),
      forcefield: forcefield.endsWith('.json') ? resolve(here, forcefield) : forcefield,
      temperaturesK: numberList(g, 'temperatures', [300, 600, 900], (v) => v > 0, 'temperatures (K)'),
      frames: g.whole('frames', 3, 1),
      equilibratePs: g.num('equilibrate_ps', 2, (v) => v >= 0, 'a time (ps), 0 or more'),
      spacingPs: g.positive('spacing_ps', 1, 'ps'),
      timeStepFs: g.positive('time_step', 1, 'fs'),
      rattleA: g.num('rattle', 0, (v) => v >= 0 && v < 1, 'a displacement (A) below 1'),
    });
    g.done();
  });
  const stretches = f.use('stretch') ?? [];
  if (!Array.isArray(stretches)) throw f.error('stretch', 'a list of [[stretch]] tables', stretches);
  stretches.forEach((c, k) => {
    const g = new Fields(c as Raw, `stretch[${k + 1}]`, file);
    const bond = g.str('bond', 'Al-Cl');
    const [centre, ligand, extra] = bond.split('-');
    if (
      !centre ||
      !ligand ||
      extra !== undefined ||
      !/^[A-Z][a-z]?$/.test(centre) ||
      !/^[A-Z][a-z]?$/.test(ligand)
    )
      throw g.error('bond', 'two element symbols, centre-ligand (e.g. "Al-Cl")', bond);
    plan.sources.push({
      kind: 'stretch',
      name: names(g, 'source', seen),
      priority: g.whole('priority', 1, 1),
      ...trajectoryFrames(g, here),
      centre,
      ligand,
      bondedWithinA: g.positive('bonded_within', 2.6, 'A'),
      stretchesA: numberList(
        g,
        'stretches',
        [0.3, 0.6, 0.9],
        (v) => v > -1.5 && v < 3 && v !== 0,
        'stretches (A) between -1.5 and 3, not 0 (negative: the ligand moves towards the centre)',
      ),
    });
    g.done();
  });
  const frameSources = f.use('frames') ?? [];
  if (!Array.isArray(frameSources)) throw f.error('frames', 'a list of [[frames]] tables', frameSources);
  frameSources.forEach((c, k) => {
    const g = new Fields(c as Raw, `frames[${k + 1}]`, file);
    plan.sources.push({
      kind: 'frames',
      name: names(g, 'source', seen),
      priority: g.whole('priority', 1, 1),
      ...trajectoryFrames(g, here),
    });
    g.done();
  });
  f.done();
  if (plan.sources.length === 0)
    throw new ParseError({
      file,
      expected: 'at least one [[crystal]], [[glass]], [[stretch]] or [[frames]] source',
      found: 'none',
    });
  return plan;
};

/** Read a data-set plan (.toml or .json). */
export const readDatasetPlan = (path: string): DatasetPlan =>
  datasetPlanFromObject(readSettingsFile(path, 'data-set plan'), resolve(path));
