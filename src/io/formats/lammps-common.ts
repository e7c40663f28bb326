import { elementFromMass, normaliseElementLabel } from '../../core/elements.js';
import { OptionError, ParseError } from '../../core/errors.js';
import { Lattice } from '../../core/lattice.js';
import type { Topology } from '../../core/topology.js';
import { EV_IN_KCAL_PER_MOL } from '../../core/units.js';
import type { ReadOptions } from '../format.js';

/**
 * A LAMMPS box from its bounds: orthogonal (lo, hi) or triclinic with tilts xy, xz, yz.
 * Cell vectors a = (xhi - xlo, 0, 0), b = (xy, yhi - ylo, 0), c = (xz, yz, zhi - zlo); positions
 * are stored relative to the origin (xlo, ylo, zlo).
 */
export interface LammpsBox {
  lattice: Lattice;
  origin: [number, number, number];
}

/** A LAMMPS box whose bounds are impossible along `axis` (0, 1, 2 = x, y, z). */
export class LammpsBoxError extends RangeError {
  constructor(
    readonly axis: number,
    message: string,
  ) {
    super(message);
  }
}

export const boxFromBounds = (lo: number[], hi: number[], tilt: [number, number, number]): LammpsBox => {
  const [xy, xz, yz] = tilt;
  // LAMMPS itself refuses hi <= lo ("Box bounds are invalid"); a box read with them would be a
  // mirrored (negative-volume) or flat cell, silently.
  for (let d = 0; d < 3; d++) {
    const x = 'xyz'[d];
    if (!(hi[d] > lo[d])) throw new LammpsBoxError(d, `${x}hi ${hi[d]} must be greater than ${x}lo ${lo[d]}`);
  }
  return {
    lattice: new Lattice([hi[0] - lo[0], 0, 0, xy, hi[1] - lo[1], 0, xz, yz, hi[2] - lo[2]]),
    origin: [lo[0], lo[1], lo[2]],
  };
};

/**
 * Dump files give triclinic boxes as bounding-box extents; LAMMPS (Howto triclinic) defines
 * xlo = xlo_bound - min(0, xy, xz, xy + xz), xhi = xhi_bound - max(0, xy, xz, xy + xz),
 * ylo = ylo_bound - min(0, yz), yhi = yhi_bound - max(0, yz).
 */
export const boxFromDumpBounds = (bounds: number[], tilt?: [number, number, number]): LammpsBox => {
  if (!tilt)
    return boxFromBounds([bounds[0], bounds[2], bounds[4]], [bounds[1], bounds[3], bounds[5]], [0, 0, 0]);
  const [xy, xz, yz] = tilt;
  const xlo = bounds[0] - Math.min(0, xy, xz, xy + xz);
  const xhi = bounds[1] - Math.max(0, xy, xz, xy + xz);
  const ylo = bounds[2] - Math.min(0, yz);
  const yhi = bounds[3] - Math.max(0, yz);
  return boxFromBounds([xlo, ylo, bounds[4]], [xhi, yhi, bounds[5]], tilt);
};

/** Is the cell in LAMMPS's restricted triclinic form (a along x, b in the xy plane)? */
export const isLammpsOriented = (l: Lattice): boolean => {
  const m = l.matrix;
  return m[1] === 0 && m[2] === 0 && m[5] === 0 && m[0] > 0 && m[4] > 0 && m[8] > 0;
};

/**
 * The same cell and positions rotated into LAMMPS's orientation (a along x, b in the xy plane),
 * through fractional coordinates (so images are preserved exactly).
 */
export const toLammpsOrientation = (
  lattice: Lattice,
  positions: Float64Array,
): { lattice: Lattice; positions: Float64Array } => {
  if (isLammpsOriented(lattice)) return { lattice, positions };
  const rotated = Lattice.fromParameters(lattice.parameters);
  return { lattice: rotated, positions: rotated.toCartesian(lattice.toFractional(positions)) };
};

/** Lines "lo hi" (and "xy xz yz") of a LAMMPS data-file header for a cell with origin 0. */
export const formatDataBox = (l: Lattice): string => {
  const m = l.matrix;
  let s = `0.0 ${m[0]} xlo xhi\n0.0 ${m[4]} ylo yhi\n0.0 ${m[8]} zlo zhi\n`;
  if (!l.isOrthorhombic) s += `${m[3]} ${m[6]} ${m[7]} xy xz yz\n`;
  return s;
};

/** The ITEM: BOX BOUNDS block of a dump for a cell with origin 0 (bounding-box form when triclinic). */
export const formatDumpBox = (l: Lattice): string => {
  const m = l.matrix;
  if (l.isOrthorhombic) return `ITEM: BOX BOUNDS pp pp pp\n0 ${m[0]}\n0 ${m[4]}\n0 ${m[8]}\n`;
  const xy = m[3];
  const xz = m[6];
  const yz = m[7];
  const xlob = Math.min(0, xy, xz, xy + xz);
  const xhib = m[0] + Math.max(0, xy, xz, xy + xz);
  return `ITEM: BOX BOUNDS xy xz yz pp pp pp\n${xlob} ${xhib} ${xy}\n${Math.min(0, yz)} ${m[4] + Math.max(0, yz)} ${xz}\n0 ${m[8]} ${yz}\n`;
};

/** Resolve the element of LAMMPS type t from a user map: ['Li', 'Al'] (types 1, 2) or {1: 'Li'}. */
export const elementFromTypeMap = (map: ReadOptions['typeMap'], t: number): string | undefined => {
  if (!map) return undefined;
  const v = Array.isArray(map) ? (map as readonly string[])[t - 1] : (map as Record<number, string>)[t];
  if (v === undefined) return undefined;
  const el = normaliseElementLabel(v);
  if (!el) throw new OptionError(`type map: "${v}" (type ${t}) is not an element symbol`);
  return el;
};

/** Guess an element from a mass (amu); undefined if no standard atomic weight is within 0.1 amu. */
export const elementFromLammpsMass = (mass: number): string | undefined => elementFromMass(mass, 0.1);

/** Per-element LAMMPS type ids: the topology's own type ids if it has them, else by first appearance. */
export const lammpsTypes = (t: Topology): { types: Int32Array; ntypes: number; elementOfType: string[] } => {
  if (t.typeIds) {
    const elementOfType: string[] = [];
    let ntypes = 0;
    for (let i = 0; i < t.natoms; i++) {
      const k = t.typeIds[i];
      ntypes = Math.max(ntypes, k);
      const prev = elementOfType[k - 1];
      if (prev !== undefined && prev !== t.symbol(i))
        throw new OptionError(`LAMMPS type ${k} holds both ${prev} and ${t.symbol(i)}`);
      elementOfType[k - 1] = t.symbol(i);
    }
    for (let k = 0; k < ntypes; k++) elementOfType[k] ??= 'X';
    return { types: t.typeIds, ntypes, elementOfType };
  }
  const types = new Int32Array(t.natoms);
  for (let i = 0; i < t.natoms; i++) types[i] = t.speciesIndex[i] + 1;
  return { types, ntypes: t.elements.length, elementOfType: [...t.elements] };
};

/** Factors from LAMMPS units to oligolyte's (A/fs, eV/A, fs). */
export const lammpsUnitFactors = (units: 'metal' | 'real' = 'metal') =>
  units === 'metal'
    ? { velocity: 1e-3, force: 1, time: 1e3, energy: 1 }
    : { velocity: 1, force: 1 / EV_IN_KCAL_PER_MOL, time: 1, energy: 1 / EV_IN_KCAL_PER_MOL };

/** Permutation that puts atoms in id order; checks ids are unique. */
export const idOrder = (ids: Int32Array, file: string, line: number): Int32Array => {
  const n = ids.length;
  const order = new Int32Array(n);
  const seen = new Uint8Array(n);
  let direct = true;
  for (let i = 0; i < n; i++) {
    const id = ids[i];
    if (id < 1 || id > n || seen[id - 1]) {
      direct = false;
      break;
    }
    seen[id - 1] = 1;
    order[id - 1] = i;
  }
  if (direct) return order;
  const idx = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => ids[a] - ids[b]);
  for (let j = 1; j < n; j++)
    if (ids[idx[j]] === ids[idx[j - 1]])
      throw new ParseError({
        file,
        line,
        expected: 'unique atom ids in a frame',
        found: `id ${ids[idx[j]]} twice`,
      });
  return idx;
};

/** Rows of `width` values of `a` taken in `order` (row j of the result is row order[j] of `a`). */
export const permuteRows = <A extends Float64Array | Int32Array>(
  a: A,
  order: Int32Array,
  width: number,
): A => {
  const out = new (a.constructor as { new (n: number): A })(order.length * width);
  for (let j = 0; j < order.length; j++)
    for (let d = 0; d < width; d++) out[width * j + d] = a[width * order[j] + d];
  return out;
};
