import { createReadStream, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { OptionError } from '../core/errors.js';
import type { Structure } from '../core/frame.js';
import { CP2K_WAVEFUNCTION, type Cp2kRunOptions, cp2kSinglePoint, findCp2k } from '../engines/cp2k/run.js';
import { cp2kSettingsTable } from '../engines/cp2k/settings.js';
import { readFrames } from '../io/registry.js';
import type { DatasetPlan } from './dft-dataset-plan.js';
import { type DatasetConfig, planConfigs } from './dft-dataset-sample.js';

/**
 * A DFT reference data set from a plan: every configuration run through CP2K in its own folder
 * (input, output and wavefunction kept), its result saved as it finishes (result.extxyz, then
 * meta.json last: a folder with meta.json is finished), so a rerun skips what is done. After each
 * configuration the data set (extended XYZ: energy eV, forces eV/A, stress eV/A^3 positive
 * tensile as ASE, config_type and the sampling facts) and its provenance JSON are rewritten whole
 * (atomically), so the file on disk is always a complete data set of what has finished.
 */

export interface DatasetProgress {
  /** Configurations finished (including those found finished from an earlier run). */
  done: number;
  total: number;
  /** The configuration just finished, and how long CP2K took for it (s; 0 when found finished). */
  id: string;
  seconds: number;
  /** Configurations this run computed (not found finished). */
  computed: number;
  /** Expected seconds left, from the mean time of the configurations this run computed. */
  etaSeconds?: number;
}

export interface DatasetRunOptions extends Cp2kRunOptions {
  /** Stop after this many configurations in all (default: the whole plan). */
  limit?: number;
  /** Git commit of the code (provenance). */
  commit?: string;
  onProgress?: (p: DatasetProgress) => void;
  /**
   * Called once the configurations are sampled: how many, how many are finished, and how many of
   * those are MD frames another build of the engine placed (kept: same source, temperature, time).
   */
  onPlanned?: (total: number, finished: number, otherBuild: number) => void;
}

interface Finished {
  config: DatasetConfig;
  structure: Structure;
  seconds: number;
  scfSteps: number;
  /** An MD-sampled configuration kept from a folder whose atoms another build of the engine placed. */
  otherBuild?: boolean;
}

const RESULT = 'result.extxyz';
const META = 'meta.json';

const writeAtomic = (path: string, text: string) => {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.part`, text);
  renameSync(`${path}.part`, path);
};

const quote = (v: string | number) =>
  typeof v === 'number' ? String(v) : `"${v.replace(/["\\]/g, '\\$&')}"`;

/** One frame of the data set: Lattice, Properties, energy, stress, then the configuration's facts. */
export const datasetFrameText = (s: Structure, info: Record<string, string | number>): string => {
  const { topology: t, frame: f } = s;
  if (!f.lattice || f.energy === undefined || !f.forces)
    throw new OptionError('a data-set frame needs a cell, an energy and forces');
  const head = [
    `Lattice="${Array.from(f.lattice.matrix, String).join(' ')}"`,
    'Properties=species:S:1:pos:R:3:forces:R:3',
    `energy=${f.energy}`,
    ...(f.stress ? [`stress="${Array.from(f.stress, String).join(' ')}"`] : []),
    ...Object.entries(info).map(([k, v]) => `${k}=${quote(v)}`),
    'pbc="T T T"',
  ];
  const lines = [String(t.natoms), head.join(' ')];
  const p = f.positions;
  const F = f.forces;
  for (let i = 0; i < t.natoms; i++) {
    const o = 3 * i;
    lines.push(`${t.symbol(i).padEnd(2)} ${p[o]} ${p[o + 1]} ${p[o + 2]} ${F[o]} ${F[o + 1]} ${F[o + 2]}`);
  }
  return `${lines.join('\n')}\n`;
};

const speciesKey = (s: Structure) =>
  Array.from({ length: s.topology.natoms }, (_, i) => s.topology.symbol(i)).join(',');

/**
 * The finished configurations grouped by source (plan order), the groups ordered so that no two
 * neighbouring frames have the same atom count with different elements: extended-XYZ readers that
 * treat a file as a trajectory (oligolyte's among them) refuse that as an atom changing element.
 */
export const datasetOrder = (finished: Finished[], sources: string[]): Finished[] => {
  const groups = sources
    .map((name) => finished.filter((f) => f.config.source === name))
    .filter((g) => g.length > 0);
  const out: Finished[] = [];
  const clash = (a: Finished | undefined, b: Finished) =>
    a !== undefined &&
    a.structure.topology.natoms === b.structure.topology.natoms &&
    speciesKey(a.structure) !== speciesKey(b.structure);
  while (groups.length > 0) {
    const last = out[out.length - 1];
    let k = groups.findIndex((g) => !clash(last, g[0]));
    if (k < 0) k = 0; // no order avoids it: keep plan order (the reader will say where)
    out.push(...groups[k]);
    groups.splice(k, 1);
  }
  return out;
};

/** The facts a configuration is written with (config_type and its sampling facts), as text. */
const factsOf = (c: DatasetConfig): Record<string, string> =>
  Object.fromEntries(
    Object.entries({ config_type: c.configType, config_id: c.id, ...c.info }).map(([k, v]) => [k, String(v)]),
  );

/**
 * The facts of every frame of a data-set file this batch wrote, by config_id: the key=value pairs
 * of its comment lines (quoted values unquoted), what an older work folder's meta.json lacks.
 */
export const datasetFileFacts = async (path: string): Promise<Map<string, Record<string, string>>> => {
  const out = new Map<string, Record<string, string>>();
  if (!existsSync(path)) return out;
  // Line by line: a data set of many large cells need not be held whole for its comment lines.
  for await (const line of createInterface({
    input: createReadStream(path),
    crlfDelay: Number.POSITIVE_INFINITY,
  })) {
    if (!line.startsWith('Lattice=')) continue;
    const facts: Record<string, string> = {};
    for (const m of line.matchAll(/(\w+)=("((?:[^"\\]|\\.)*)"|\S+)/g))
      facts[m[1]] = m[3] !== undefined ? m[3].replace(/\\(.)/g, '$1') : m[2];
    if (facts.config_id) out.set(facts.config_id, facts);
  }
  return out;
};

const sameFacts = (a: Record<string, string>, b: Record<string, string>) =>
  Object.keys(b).every((k) => a[k] === b[k]);

const readFinished = async (
  config: DatasetConfig,
  dir: string,
  settings: string,
  mdSampled: boolean,
  fileFacts: Map<string, Record<string, string>>,
): Promise<Finished | undefined> => {
  if (!existsSync(join(dir, META)) || !existsSync(join(dir, RESULT))) return undefined;
  const meta = JSON.parse(readFileSync(join(dir, META), 'utf8')) as {
    settings: string;
    seconds: number;
    scfSteps: number;
    facts?: Record<string, string>;
  };
  if (meta.settings !== settings)
    throw new OptionError(
      `${dir} was computed with other CP2K settings than the plan's; a data set mixes no settings (use another work_dir)`,
    );
  let structure: Structure | undefined;
  for await (const s of readFrames(join(dir, RESULT))) structure = s;
  if (!structure || structure.topology.natoms !== config.structure.topology.natoms)
    throw new OptionError(`${join(dir, RESULT)} does not hold configuration ${config.id}`);
  const verdict = finishedVerdict(config, structure, mdSampled, meta.facts ?? fileFacts.get(config.id));
  if (verdict === 'refuse')
    throw new OptionError(
      `${join(dir, RESULT)}: the plan now samples another configuration ${config.id}${mdSampled ? ' (its atoms moved, and its sampling facts differ or are not recorded)' : ' (its atoms moved)'}; use another work_dir`,
    );
  return {
    config,
    structure,
    seconds: meta.seconds,
    scfSteps: meta.scfSteps,
    otherBuild: verdict === 'other-build',
  };
};

/**
 * Whether a finished configuration is the plan's: the same atoms ('same'); or a frame of
 * force-field MD with the same sampling facts (source, temperature, time) whose atoms another build
 * of the engine placed ('other-build': MD is reproducible for one build only, its summation order
 * changes the trajectory; the sample point is the same, so it is kept with its own atoms); else
 * the plan changed ('refuse').
 */
export const finishedVerdict = (
  config: DatasetConfig,
  result: Structure,
  mdSampled: boolean,
  facts: Record<string, string> | undefined,
): 'same' | 'other-build' | 'refuse' => {
  const p = config.structure.frame.positions;
  const moved = Array.from(p).some((x, i) => Math.abs(result.frame.positions[i] - x) > 1e-6);
  if (!moved) return 'same';
  return mdSampled && facts && sameFacts(facts, factsOf(config)) ? 'other-build' : 'refuse';
};

/** Run (or resume) a data-set plan; returns the number of configurations in the data set. */
export const runDataset = async (plan: DatasetPlan, options: DatasetRunOptions = {}): Promise<number> => {
  const version = findCp2k(options.cp2k);
  const configs = await planConfigs(plan);
  const todo = options.limit === undefined ? configs : configs.slice(0, options.limit);
  const settings = JSON.stringify(cp2kSettingsTable(plan.settings));
  const finished = new Map<string, Finished>();
  const fileFacts = await datasetFileFacts(plan.output);
  const kindOf = new Map(plan.sources.map((s) => [s.name, s.kind]));
  for (const c of todo) {
    const f = await readFinished(
      c,
      join(plan.workDir, c.id),
      settings,
      kindOf.get(c.source) === 'glass',
      fileFacts,
    );
    if (f) finished.set(c.id, f);
  }
  const otherBuild = [...finished.values()].filter((f) => f.otherBuild).map((f) => f.config.id);
  options.onPlanned?.(todo.length, finished.size, otherBuild.length);
  const sources = plan.sources.map((s) => s.name);
  const write = () => {
    const frames = datasetOrder(
      todo.filter((c) => finished.has(c.id)).map((c) => finished.get(c.id)!),
      sources,
    );
    writeAtomic(
      plan.output,
      frames
        .map((f) =>
          datasetFrameText(f.structure, {
            config_type: f.config.configType,
            config_id: f.config.id,
            ...f.config.info,
          }),
        )
        .join(''),
    );
    const provenance = {
      what: 'DFT reference data: energy (eV), forces (eV/A), stress (eV/A^3, positive = tensile, as ASE)',
      code: version,
      settings: cp2kSettingsTable(plan.settings),
      kpoints: 'Gamma point only',
      oligolyteCommit: options.commit ?? 'unknown',
      plan: relative(dirname(plan.output), plan.file),
      written: new Date().toISOString(),
      configurations: frames.length,
      planned: configs.length,
      bySource: Object.fromEntries(
        sources.map((s) => [s, frames.filter((f) => f.config.source === s).length]),
      ),
      cp2kSeconds: frames.reduce((a, f) => a + f.seconds, 0),
      // MD-sampled configurations whose atoms an earlier build of the engine placed (same facts).
      ...(otherBuild.length ? { sampledByAnotherBuild: otherBuild } : {}),
    };
    writeAtomic(
      plan.output.replace(/\.(ext)?xyz$/, '.provenance.json'),
      `${JSON.stringify(provenance, null, 2)}\n`,
    );
  };
  if (finished.size > 0) write();
  let computed = 0;
  let spent = 0;
  // The last finished folder of each source: its wavefunction starts the next SCF of that source.
  const lastDir = new Map<string, string>();
  for (const c of todo) if (finished.has(c.id)) lastDir.set(c.source, join(plan.workDir, c.id));
  for (const c of todo) {
    if (finished.has(c.id)) continue;
    const dir = join(plan.workDir, c.id);
    const previous = lastDir.get(c.source);
    const wfn =
      previous && existsSync(join(previous, CP2K_WAVEFUNCTION))
        ? join(previous, CP2K_WAVEFUNCTION)
        : undefined;
    const t0 = Date.now();
    const sp = await cp2kSinglePoint(c.structure, plan.settings, dir, { ...options, wavefunctionFile: wfn });
    const seconds = (Date.now() - t0) / 1000;
    const scfSteps = sp.result.scfSteps.reduce((a, b) => a + b, 0);
    writeAtomic(join(dir, RESULT), datasetFrameText(sp.structure, { config_id: c.id }));
    writeAtomic(
      join(dir, META),
      `${JSON.stringify({ settings, seconds, scfSteps, code: version, facts: factsOf(c) }, null, 1)}\n`,
    );
    finished.set(c.id, { config: c, structure: sp.structure, seconds, scfSteps });
    lastDir.set(c.source, dir);
    computed++;
    spent += seconds;
    write();
    const left = todo.filter((x) => !finished.has(x.id)).length;
    options.onProgress?.({
      done: finished.size,
      total: todo.length,
      id: c.id,
      seconds,
      computed,
      etaSeconds: (spent / computed) * left,
    });
  }
  return finished.size;
};
