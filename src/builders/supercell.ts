import { OptionError } from '../core/errors.js';
import type { Structure } from '../core/frame.js';
import { Lattice } from '../core/lattice.js';
import { Topology } from '../core/topology.js';

/** Parse "2x2x1" (or "2,2,1", "2 2 1") into three repeat counts. */
export const parseRepeats = (text: string): [number, number, number] => {
  const parts = text.trim().split(/\s*[x,\s]\s*/i);
  const v = parts.map(Number);
  if (v.length !== 3 || !v.every((k) => Number.isInteger(k) && k >= 1))
    throw new OptionError(`"${text}" is not three whole repeat counts such as 2x2x1`);
  return v as [number, number, number];
};

/**
 * The cell repeated na x nb x nc times: atoms in image order (all atoms of image (0,0,0), then
 * (0,0,1), ...), each image shifted by i a + j b + k c. Bonds, angles and dihedrals are copied per
 * image, each atom taken from the image its minimum-image partner lies in, so units that straddle
 * a face stay whole; molecule ids then follow the bonds (or are offset per image without bonds).
 */
export const supercell = (s: Structure, repeats: [number, number, number]): Structure => {
  const L = s.frame.lattice;
  if (!L) throw new OptionError('a supercell needs a periodic cell');
  const [na, nb, nc] = repeats;
  const images = na * nb * nc;
  const t = s.topology;
  const n = t.natoms;
  if (n * images > 50_000_000)
    throw new OptionError(`${n * images} atoms is more than this tool builds at once`);
  const positions = new Float64Array(3 * n * images);
  const m = L.matrix;
  let img = 0;
  for (let i = 0; i < na; i++)
    for (let j = 0; j < nb; j++)
      for (let k = 0; k < nc; k++) {
        const shift = [0, 1, 2].map((x) => i * m[x] + j * m[3 + x] + k * m[6 + x]);
        for (let a = 0; a < n; a++)
          for (let x = 0; x < 3; x++)
            positions[3 * (img * n + a) + x] = s.frame.positions[3 * a + x] + shift[x];
        img++;
      }
  const repeat = <T>(arr: ArrayLike<T>, perImage: (v: T, image: number) => T): T[] => {
    const out: T[] = [];
    for (let im = 0; im < images; im++) for (let a = 0; a < arr.length; a++) out.push(perImage(arr[a], im));
    return out;
  };
  const same = <T>(v: T) => v;
  // Terms (bonds, angles, dihedrals) follow the minimum image: an atom bonded across a face of the
  // small cell is bonded to the copy in the neighbouring image of the supercell.
  const frac = L.toFractional(s.frame.positions);
  const imageIndex = (i: number, j: number, k: number) =>
    (((i % na) + na) % na) * nb * nc + (((j % nb) + nb) % nb) * nc + (((k % nc) + nc) % nc);
  const terms = (a: Uint32Array | undefined, per: number) => {
    if (!a) return undefined;
    const out = new Uint32Array(a.length * images);
    let o = 0;
    for (let i = 0; i < na; i++)
      for (let j = 0; j < nb; j++)
        for (let k = 0; k < nc; k++)
          for (let t0 = 0; t0 < a.length; t0 += per) {
            const first = a[t0];
            for (let q = 0; q < per; q++) {
              const atom = a[t0 + q];
              const shift = [0, 1, 2].map((x) => Math.round(frac[3 * atom + x] - frac[3 * first + x]));
              out[o++] = atom + n * imageIndex(i - shift[0], j - shift[1], k - shift[2]);
            }
          }
    return out;
  };
  const types = (a: Int32Array | undefined) => (a ? Int32Array.from(repeat(a, same)) : undefined);
  const bonds = terms(t.bonded.bonds, 2);
  let moleculeIds: number[] | undefined;
  if (bonds && bonds.length > 0) moleculeIds = connectedComponents(n * images, bonds);
  else if (t.moleculeIds) {
    let maxMol = 0;
    for (const v of t.moleculeIds) maxMol = Math.max(maxMol, v);
    moleculeIds = repeat(t.moleculeIds, (v, im) => v + im * maxMol);
  }
  const topology = new Topology({
    symbols: repeat(t.symbols, same),
    masses: repeat(t.masses, same),
    charges: t.charges ? repeat(t.charges, same) : undefined,
    moleculeIds,
    typeIds: t.typeIds ? repeat(t.typeIds, same) : undefined,
    roles: t.roles ? repeat(t.roles, same) : undefined,
    bonds,
    bondTypes: types(t.bonded.bondTypes),
    angles: terms(t.bonded.angles, 3),
    angleTypes: types(t.bonded.angleTypes),
    dihedrals: terms(t.bonded.dihedrals, 4),
    dihedralTypes: types(t.bonded.dihedralTypes),
  });
  const lattice = new Lattice([
    ...[0, 1, 2].map((x) => m[x] * na),
    ...[0, 1, 2].map((x) => m[3 + x] * nb),
    ...[0, 1, 2].map((x) => m[6 + x] * nc),
  ]);
  return { topology, frame: { positions, lattice } };
};

/** Molecule ids 1, 2, ... by connected components of the bond graph, numbered by first atom. */
const connectedComponents = (natoms: number, bonds: Uint32Array): number[] => {
  const parent = Int32Array.from({ length: natoms }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  for (let b = 0; b < bonds.length; b += 2) {
    const x = find(bonds[b]);
    const y = find(bonds[b + 1]);
    if (x !== y) parent[Math.max(x, y)] = Math.min(x, y);
  }
  const id = new Map<number, number>();
  return Array.from({ length: natoms }, (_, i) => {
    const r = find(i);
    let v = id.get(r);
    if (v === undefined) {
      v = id.size + 1;
      id.set(r, v);
    }
    return v;
  });
};
