/**
 * Seeded random-walk trajectories written as a CHARMM DCD (float32 coordinates, a unit cell per
 * frame: the layout MDAnalysis and LAMMPS write), for benchmarks that feed the same file to
 * oligolyte and to a Python peer, with the topology file a DCD needs beside it. Shared by
 * bench/structure.ts, bench/peers.ts and test/package/cli-bundle.test.ts.
 */
import { writeFileSync } from 'node:fs';
import type { Lattice } from '../src/core/lattice.js';
import type { Topology } from '../src/core/topology.js';
import { writeStructure } from '../src/io/registry.js';

export interface WalkOptions {
  natoms: number;
  nframes: number;
  /** Cubic cell edge, A. */
  edge: number;
  lattice: Lattice;
  /** Largest fractional step per frame and axis (uniform in +-step/2). */
  stepFrac: number;
  /** Wrap the walk into the cell (true) or keep it continuous (false: an unwrapped file). */
  wrap: boolean;
  seed?: number;
}

/** The walk's fractional coordinates, frame by frame (one buffer, overwritten each frame). */
export function* walkFrames(o: WalkOptions): Generator<Float64Array> {
  let seed = o.seed ?? 12345;
  const rnd = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) | 0;
    return (seed >>> 0) / 4294967296;
  };
  const frac = Float64Array.from({ length: 3 * o.natoms }, rnd);
  for (let k = 0; k < o.nframes; k++) {
    for (let i = 0; i < frac.length; i++) {
      frac[i] += (rnd() - 0.5) * o.stepFrac;
      if (o.wrap) frac[i] -= Math.floor(frac[i]);
    }
    yield frac;
  }
}

/** Writes the walk as a DCD with a unit cell per frame; returns the file size in bytes. */
export const writeWalkDcd = (path: string, o: WalkOptions, title: string): number => {
  const { natoms, nframes, edge, lattice } = o;
  const frameBytes = 8 + 48 + 3 * (8 + 4 * natoms);
  const buf = Buffer.alloc(92 + 4 + 4 + 80 + 4 + 12 + nframes * frameBytes);
  let at = 0;
  const i32 = (v: number) => {
    buf.writeInt32LE(v, at);
    at += 4;
  };
  i32(84);
  buf.write('CORD', at, 'latin1');
  at += 4;
  // The 20 control words: frames, first step, step interval, steps; word 10 the time step (float),
  // word 11 "has unit cell", word 20 the CHARMM version (24).
  const ctl = new Array(20).fill(0);
  ctl[0] = nframes;
  ctl[2] = 1;
  ctl[3] = nframes;
  ctl[10] = 1;
  ctl[19] = 24;
  for (let k = 0; k < 20; k++) {
    if (k === 9) {
      buf.writeFloatLE(1, at);
      at += 4;
    } else i32(ctl[k]);
  }
  i32(84);
  i32(84);
  i32(1);
  buf.write(title.slice(0, 80).padEnd(80), at, 'latin1');
  at += 80;
  i32(84);
  i32(4);
  i32(natoms);
  i32(4);
  const cart = new Float64Array(3 * natoms);
  for (const frac of walkFrames(o)) {
    lattice.toCartesian(frac, cart);
    i32(48);
    for (const v of [edge, 90, edge, 90, 90, edge]) {
      buf.writeDoubleLE(v, at);
      at += 8;
    }
    i32(48);
    for (let x = 0; x < 3; x++) {
      i32(4 * natoms);
      for (let i = 0; i < natoms; i++) {
        buf.writeFloatLE(cart[3 * i + x], at);
        at += 4;
      }
      i32(4 * natoms);
    }
  }
  if (at !== buf.length) throw new Error(`DCD: wrote ${at} bytes of ${buf.length}`);
  writeFileSync(path, buf);
  return buf.length;
};

/** The walk's first frame with `topology`, as a structure file (a PDB, say): the DCD's topology. */
export const writeWalkTopology = (path: string, o: WalkOptions, topology: Topology): Promise<void> =>
  writeStructure(path, {
    topology,
    frame: { positions: o.lattice.toCartesian(walkFrames(o).next().value!), lattice: o.lattice },
  });

/**
 * The `oligolyte transport` arguments for a walk's DCD and its topology, as bench:peers times them
 * against MDAnalysis's MSD of the same file (bench/peers.py: 600 K, frames 1 fs apart, unwrapped
 * positions); callers add their own options (threads, outputs).
 */
export const walkTransportArgs = (dcd: string, topology: string): string[] => [
  'transport',
  dcd,
  '--topology',
  topology,
  '--temperature',
  '600',
  '--time-step',
  '1',
  '--unwrapped',
];
