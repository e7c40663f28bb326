import { mixFromComposition } from '../builders/mix.js';
import { packGlass } from '../builders/pack-glass.js';
import { supercell } from '../builders/supercell.js';
import { OptionError } from '../core/errors.js';
import type { Structure } from '../core/frame.js';
import { Lattice } from '../core/lattice.js';
import { SeededRandom } from '../core/random.js';
import { prepareSystem } from '../forcefield/system.js';
import { readFrames, readStructure } from '../io/registry.js';
import { runMd } from '../md/integrator.js';
import type {
  CrystalSource,
  DatasetPlan,
  DatasetSource,
  FramesSource,
  GlassSource,
  StretchSource,
} from './dft-dataset-plan.js';

/**
 * The configurations of a data-set plan, sampled deterministically from the plan's seed (the same
 * plan gives the same configurations, which is what lets a stopped batch resume): strained and
 * rattled crystals, frames of short NVT MD of packed glass cells with a force field, frames of a
 * trajectory with one bond pulled apart, and frames of a trajectory as they are.
 */

export interface DatasetConfig {
  /** Unique, also the name of its CP2K folder: "<source>-<index>". */
  id: string;
  source: string;
  /** config_type in the data set: "<source>" plus what was done ("_rattle", "_md"). */
  configType: string;
  structure: Structure;
  /** Per-configuration facts written into the data set (temperature, strain, rattle, ...). */
  info: Record<string, string | number>;
}

/** a' = a (I + e) for each cell vector (rows), positions likewise: a homogeneous strain. */
const strained = (s: Structure, e: number[]): Structure => {
  const m = s.frame.lattice!.matrix;
  const F = [1 + e[0], e[5], e[4], e[5], 1 + e[1], e[3], e[4], e[3], 1 + e[2]];
  const apply = (v: ArrayLike<number>, out: Float64Array) => {
    for (let i = 0; i < v.length / 3; i++)
      for (let c = 0; c < 3; c++)
        out[3 * i + c] = v[3 * i] * F[c] + v[3 * i + 1] * F[3 + c] + v[3 * i + 2] * F[6 + c];
    return out;
  };
  return {
    topology: s.topology,
    frame: {
      positions: apply(s.frame.positions, new Float64Array(s.frame.positions.length)),
      lattice: new Lattice(apply(m, new Float64Array(9))),
    },
  };
};

const rattled = (s: Structure, sigmaA: number, rng: SeededRandom): Structure => {
  const p = Float64Array.from(s.frame.positions);
  for (let i = 0; i < p.length; i++) p[i] += sigmaA * rng.gaussian();
  return { topology: s.topology, frame: { ...s.frame, positions: p } };
};

const round = (x: number, digits = 6) => Number(x.toFixed(digits));

const crystalConfigs = async (src: CrystalSource, seed: number): Promise<DatasetConfig[]> => {
  const read = await readStructure(src.structure);
  const base: Structure = src.supercell.every((k) => k === 1) ? read : supercell(read, src.supercell);
  const cell: Structure = {
    topology: base.topology,
    frame: { positions: base.frame.positions, lattice: base.frame.lattice },
  };
  const rng = new SeededRandom(seed);
  const out: DatasetConfig[] = [];
  const push = (s: Structure, type: string, info: Record<string, string | number>) =>
    out.push({
      id: `${src.name}-${String(out.length).padStart(3, '0')}`,
      source: src.name,
      configType: `${src.name}_${type}`,
      structure: s,
      info,
    });
  if (src.includeIdeal) push(cell, 'ideal', { strain: '0 0 0 0 0 0', rattle_A: 0 });
  for (let k = 0; k < src.count; k++)
    for (const r of src.rattlesA) {
      // Voigt order xx yy zz yz xz xy, each uniform in [-max, max].
      const e = Array.from({ length: 6 }, () => round(src.maxStrain * (2 * rng.uniform() - 1)));
      push(rattled(strained(cell, e), r, rng), 'strain_rattle', { strain: e.join(' '), rattle_A: r });
    }
  return out;
};

const glassConfigs = async (src: GlassSource, seed: number): Promise<DatasetConfig[]> => {
  const { units, cations } = mixFromComposition(src.composition, src.trimers, { seed });
  const packed = packGlass({
    units: units.map((u) => ({ molecule: u.molecule, count: u.count })),
    cations,
    density: src.densityGPerCm3,
    seed,
  });
  const { ff, sys } = prepareSystem(packed, { forcefield: src.forcefield });
  const lattice = packed.frame.lattice!;
  const out: DatasetConfig[] = [];
  const rng = new SeededRandom(seed + 7);
  const equilibrate = Math.round((src.equilibratePs * 1000) / src.timeStepFs);
  const spacing = Math.max(1, Math.round((src.spacingPs * 1000) / src.timeStepFs));
  for (const [b, T] of src.temperaturesK.entries()) {
    const frames: Float64Array[] = [];
    await runMd(packed.frame.positions, lattice, sys, ff, {
      ensemble: 'nvt',
      temperatureK: T,
      timeStepFs: src.timeStepFs,
      steps: equilibrate + src.frames * spacing,
      seed: seed + 1000 * (b + 1),
      frameEvery: spacing,
      onFrame: (step, positions) => {
        if (step > equilibrate) frames.push(Float64Array.from(positions));
      },
    });
    for (const [k, positions] of frames.entries()) {
      let s: Structure = { topology: packed.topology, frame: { positions, lattice } };
      if (src.rattleA > 0) s = rattled(s, src.rattleA, rng);
      out.push({
        id: `${src.name}-${String(out.length).padStart(3, '0')}`,
        source: src.name,
        configType: `${src.name}_md`,
        structure: s,
        info: {
          temperature_K: T,
          md_forcefield: ff.name,
          md_time_ps: round(((equilibrate + (k + 1) * spacing) * src.timeStepFs) / 1000),
          rattle_A: src.rattleA,
          density_g_cm3: src.densityGPerCm3,
        },
      });
    }
  }
  return out;
};

/** The listed frames (0-based) of a trajectory, by index; an error names a frame past its end. */
const pickFrames = async (src: {
  name: string;
  kind: string;
  trajectory: string;
  frames: number[];
}): Promise<Map<number, Structure>> => {
  const wanted = new Set(src.frames);
  const picked = new Map<number, Structure>();
  let count = 0;
  for await (const s of readFrames(src.trajectory)) {
    if (wanted.has(count)) picked.set(count, s);
    count++;
  }
  const missing = src.frames.filter((k) => !picked.has(k));
  if (missing.length)
    throw new OptionError(
      `${src.trajectory}: has ${count} frames; ${src.kind} source "${src.name}" asks for frame ${missing[0]} (0-based)`,
    );
  return picked;
};

const trajectoryFrameConfigs = async (src: FramesSource): Promise<DatasetConfig[]> => {
  const picked = await pickFrames(src);
  return src.frames.map((k, n) => {
    const s = picked.get(k)!;
    if (!s.frame.lattice)
      throw new OptionError(`${src.trajectory}: frame ${k} has no cell (a data set needs periodic frames)`);
    return {
      id: `${src.name}-${String(n).padStart(3, '0')}`,
      source: src.name,
      configType: `${src.name}_frame`,
      structure: { topology: s.topology, frame: { positions: s.frame.positions, lattice: s.frame.lattice } },
      info: { frame: k, ...(s.frame.timeFs !== undefined ? { time_fs: s.frame.timeFs } : {}) },
    };
  });
};

const stretchConfigs = async (src: StretchSource, seed: number): Promise<DatasetConfig[]> => {
  const picked = await pickFrames(src);
  const rng = new SeededRandom(seed);
  const out: DatasetConfig[] = [];
  const d = new Float64Array(3);
  for (const k of src.frames) {
    const s = picked.get(k)!;
    const t = s.topology;
    const p = s.frame.positions;
    const lattice = s.frame.lattice;
    if (!lattice)
      throw new OptionError(`${src.trajectory}: frame ${k} has no cell (a stretch needs a periodic frame)`);
    // Every bonded centre-ligand pair by minimum image, the ligand-minus-centre vector kept.
    const pairs: { centre: number; ligand: number; v: number[] }[] = [];
    for (const c of t.indicesOf(src.centre))
      for (const l of t.indicesOf(src.ligand)) {
        if (l === c) continue; // a like pair ("Cl-Cl"): not an atom with itself
        for (let x = 0; x < 3; x++) d[x] = p[3 * l + x] - p[3 * c + x];
        if (lattice.minimumImage(d) <= src.bondedWithinA ** 2)
          pairs.push({ centre: c, ligand: l, v: [...d] });
      }
    if (pairs.length === 0)
      throw new OptionError(
        `${src.trajectory}: frame ${k} has no ${src.centre}-${src.ligand} pair within ${src.bondedWithinA} A (stretch source "${src.name}")`,
      );
    const pair = pairs[Math.floor(rng.uniform() * pairs.length)];
    const r = Math.hypot(...pair.v);
    for (const stretch of src.stretchesA) {
      const positions = Float64Array.from(p);
      for (let x = 0; x < 3; x++) positions[3 * pair.ligand + x] += (stretch * pair.v[x]) / r;
      out.push({
        id: `${src.name}-${String(out.length).padStart(3, '0')}`,
        source: src.name,
        configType: `${src.name}_stretch`,
        structure: { topology: t, frame: { positions, lattice } },
        info: {
          frame: k,
          bond: `${src.centre}-${src.ligand}`,
          centre_atom: pair.centre + 1,
          ligand_atom: pair.ligand + 1,
          bond_A: round(r),
          stretch_A: stretch,
        },
      });
    }
  }
  return out;
};

/** Every configuration of one source. */
export const sourceConfigs = (src: DatasetSource, seed: number): Promise<DatasetConfig[]> =>
  src.kind === 'crystal'
    ? crystalConfigs(src, seed)
    : src.kind === 'glass'
      ? glassConfigs(src, seed)
      : src.kind === 'stretch'
        ? stretchConfigs(src, seed)
        : trajectoryFrameConfigs(src);

/**
 * Every configuration of the plan, in run order: by priority, and within a priority one of each
 * source in turn (plan order), so a batch stopped early still covers every source. Each source draws from its own seed (plan seed
 * plus its position), so adding a source at the end leaves the others' configurations unchanged.
 */
export const planConfigs = async (plan: DatasetPlan): Promise<DatasetConfig[]> => {
  const lists: { priority: number; configs: DatasetConfig[] }[] = [];
  for (const [k, src] of plan.sources.entries())
    lists.push({ priority: src.priority, configs: await sourceConfigs(src, plan.seed + 101 * k) });
  const out: DatasetConfig[] = [];
  for (const p of [...new Set(lists.map((l) => l.priority))].sort((a, b) => a - b)) {
    const group = lists.filter((l) => l.priority === p).map((l) => l.configs);
    for (let i = 0; group.some((l) => i < l.length); i++)
      for (const l of group) if (i < l.length) out.push(l[i]);
  }
  return out;
};
