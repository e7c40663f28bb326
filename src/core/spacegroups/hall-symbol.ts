/**
 * Symmetry operations from a Hall symbol (S. R. Hall, Acta Cryst. A37, 517-525 (1981); the explicit
 * notation of International Tables B, section 1.4). A Hall symbol lists the lattice centring, a few
 * generator matrices and an optional origin shift: "-F 4 2 3", "P 2yb", "P 61 2 (0 0 -1)". The
 * group is the closure of those generators.
 *
 * Operations act on fractional coordinates: x' = R x + t. Translations are kept as integers in
 * twenty-fourths of a lattice vector, which holds every value Hall symbols produce exactly (halves,
 * thirds, quarters, sixths, the 1/12 origin shifts), so group closure is exact integer arithmetic.
 */

import { OligolyteError } from '../errors.js';

/** One symmetry operation: rotation (row-major 3x3 integers) and translation in 1/24 (0..23). */
export interface SymOp {
  rotation: Int8Array;
  translation24: Int8Array;
}

const D = 24;

/** Lattice centring translations (in 1/24) beyond the origin, by lattice symbol. */
const CENTRING: Record<string, number[][]> = {
  P: [],
  A: [[0, 12, 12]],
  B: [[12, 0, 12]],
  C: [[12, 12, 0]],
  I: [[12, 12, 12]],
  R: [
    [16, 8, 8],
    [8, 16, 16],
  ],
  S: [[8, 8, 16]],
  T: [[8, 16, 8]],
  F: [
    [0, 12, 12],
    [12, 0, 12],
    [12, 12, 0],
  ],
};

/** Proper rotations about the principal axes (Hall 1981, Table 3; rows give x', y', z'). */
const PRINCIPAL: Record<'x' | 'y' | 'z', Record<number, number[]>> = {
  x: {
    2: [1, 0, 0, 0, -1, 0, 0, 0, -1],
    3: [1, 0, 0, 0, 0, -1, 0, 1, -1],
    4: [1, 0, 0, 0, 0, -1, 0, 1, 0],
    6: [1, 0, 0, 0, 1, -1, 0, 1, 0],
  },
  y: {
    2: [-1, 0, 0, 0, 1, 0, 0, 0, -1],
    3: [-1, 0, 1, 0, 1, 0, -1, 0, 0],
    4: [0, 0, 1, 0, 1, 0, -1, 0, 0],
    6: [0, 0, 1, 0, 1, 0, -1, 0, 1],
  },
  z: {
    2: [-1, 0, 0, 0, -1, 0, 0, 0, 1],
    3: [0, -1, 0, 1, -1, 0, 0, 0, 1],
    4: [0, -1, 0, 1, 0, 0, 0, 0, 1],
    6: [1, -1, 0, 1, 0, 0, 0, 0, 1],
  },
};

/** Two-fold rotations about face diagonals: ' and " relative to the preceding axis. */
const DIAGONAL: Record<'x' | 'y' | 'z', Record<"'" | '"', number[]>> = {
  x: { "'": [-1, 0, 0, 0, 0, -1, 0, -1, 0], '"': [-1, 0, 0, 0, 0, 1, 0, 1, 0] },
  y: { "'": [0, 0, -1, 0, -1, 0, -1, 0, 0], '"': [0, 0, 1, 0, -1, 0, 1, 0, 0] },
  z: { "'": [0, -1, 0, -1, 0, 0, 0, 0, -1], '"': [0, 1, 0, 1, 0, 0, 0, 0, -1] },
};

/** Three-fold rotation about the body diagonal a+b+c. */
const BODY_DIAGONAL_3 = [0, 0, 1, 1, 0, 0, 0, 1, 0];

/** Translation symbols (in 1/24). */
const TRANSLATION: Record<string, number[]> = {
  a: [12, 0, 0],
  b: [0, 12, 0],
  c: [0, 0, 12],
  n: [12, 12, 12],
  u: [6, 0, 0],
  v: [0, 6, 0],
  w: [0, 0, 6],
  d: [6, 6, 6],
};

const mod = (a: number): number => ((a % D) + D) % D;

const makeOp = (r: ArrayLike<number>, t: ArrayLike<number>): SymOp => ({
  rotation: Int8Array.from(r),
  translation24: Int8Array.from(t, mod),
});

/** (R1, t1)(R2, t2) = (R1 R2, R1 t2 + t1). */
export const composeOps = (a: SymOp, b: SymOp): SymOp => {
  const r = new Int8Array(9);
  const t = new Int8Array(3);
  for (let i = 0; i < 3; i++) {
    let s = a.translation24[i];
    for (let k = 0; k < 3; k++) {
      s += a.rotation[3 * i + k] * b.translation24[k];
      let v = 0;
      for (let j = 0; j < 3; j++) v += a.rotation[3 * i + j] * b.rotation[3 * j + k];
      r[3 * i + k] = v;
    }
    t[i] = mod(s);
  }
  return { rotation: r, translation24: t };
};

/** A stable text key: 9 rotation integers, then the translation (used for sets and tests). */
export const opKey = (op: SymOp): string => [...op.rotation, ...op.translation24].join(',');

export class HallSymbolError extends OligolyteError {
  override name = 'HallSymbolError';
}

const MATRIX_TOKEN = /^(-?)([12346])([1-5]?)([xyz'"*]?)([abcnuvwd]*)$/;

/** Parse a Hall symbol into its generators (centring, inversion, matrices, all origin-shifted). */
export const hallGenerators = (symbol: string): SymOp[] => {
  const text = symbol.trim();
  const shiftMatch = /\(\s*(-?\d+)\s+(-?\d+)\s+(-?\d+)\s*\)\s*$/.exec(text);
  const body = (shiftMatch ? text.slice(0, shiftMatch.index) : text).trim().split(/\s+/);
  // The origin shift is given in 1/12 of the lattice vectors.
  const shift = shiftMatch ? [1, 2, 3].map((k) => 2 * Number(shiftMatch[k])) : [0, 0, 0];
  const lat = /^(-?)([PABCIRSTF])$/.exec(body[0] ?? '');
  if (!lat) throw new HallSymbolError(`Hall symbol "${symbol}": expected a lattice symbol such as P or -F`);
  const generators: SymOp[] = [];
  for (const t of CENTRING[lat[2]]) generators.push(makeOp([1, 0, 0, 0, 1, 0, 0, 0, 1], t));
  if (lat[1] === '-') generators.push(makeOp([-1, 0, 0, 0, -1, 0, 0, 0, -1], [0, 0, 0]));
  if (body.length < 2)
    throw new HallSymbolError(`Hall symbol "${symbol}": expected at least one matrix symbol`);

  let previousN = 0;
  let previousAxis: 'x' | 'y' | 'z' = 'z';
  body.slice(1).forEach((token, index) => {
    const m = MATRIX_TOKEN.exec(token);
    if (!m) throw new HallSymbolError(`Hall symbol "${symbol}": cannot read the matrix symbol "${token}"`);
    const [, improper, nText, screwText, axisText, translationText] = m;
    const n = Number(nText);
    // Default axes (Hall 1981): the first matrix is about c; a following 2-fold is about a after
    // a 2- or 4-fold and about a-b (') after a 3- or 6-fold; a third matrix 3 is about a+b+c.
    let axis = axisText;
    if (axis === '') {
      if (index === 0) axis = 'z';
      else if (index === 1 && n === 2 && (previousN === 2 || previousN === 4)) axis = 'x';
      else if (index === 1 && n === 2 && (previousN === 3 || previousN === 6)) axis = "'";
      else if (index === 2 && n === 3) axis = '*';
      else if (n !== 1)
        throw new HallSymbolError(`Hall symbol "${symbol}": the axis of "${token}" cannot be implied`);
    }
    let rotation: number[];
    if (n === 1) rotation = [1, 0, 0, 0, 1, 0, 0, 0, 1];
    else if (axis === 'x' || axis === 'y' || axis === 'z') rotation = PRINCIPAL[axis][n];
    else if (axis === "'" || axis === '"') {
      if (n !== 2)
        throw new HallSymbolError(`Hall symbol "${symbol}": "${token}": ' and " need a 2-fold axis`);
      rotation = DIAGONAL[previousAxis][axis];
    } else {
      if (n !== 3) throw new HallSymbolError(`Hall symbol "${symbol}": "${token}": * needs a 3-fold axis`);
      rotation = BODY_DIAGONAL_3;
    }
    if (improper) rotation = rotation.map((v) => -v);
    const translation = [0, 0, 0];
    for (const c of translationText) for (let k = 0; k < 3; k++) translation[k] += TRANSLATION[c][k];
    if (screwText) {
      if (axis !== 'x' && axis !== 'y' && axis !== 'z')
        throw new HallSymbolError(`Hall symbol "${symbol}": a screw needs a principal axis in "${token}"`);
      translation['xyz'.indexOf(axis)] += (D * Number(screwText)) / n;
    }
    generators.push(makeOp(rotation, translation));
    previousN = n;
    if (axis === 'x' || axis === 'y' || axis === 'z') previousAxis = axis;
  });

  // Origin shift V = (I, v): each operation (R, t) becomes (R, t + v - R v).
  return generators.map((g) => {
    const t = [0, 1, 2].map(
      (i) =>
        g.translation24[i] +
        shift[i] -
        (g.rotation[3 * i] * shift[0] + g.rotation[3 * i + 1] * shift[1] + g.rotation[3 * i + 2] * shift[2]),
    );
    return makeOp(g.rotation, t);
  });
};

/** Every operation of the group a Hall symbol describes (centring translations included). */
export const hallOperations = (symbol: string): SymOp[] => {
  const generators = hallGenerators(symbol);
  const identity = makeOp([1, 0, 0, 0, 1, 0, 0, 0, 1], [0, 0, 0]);
  const group = new Map<string, SymOp>([[opKey(identity), identity]]);
  const queue: SymOp[] = [identity];
  while (queue.length > 0) {
    const a = queue.pop()!;
    for (const g of generators) {
      const c = composeOps(a, g);
      const key = opKey(c);
      if (!group.has(key)) {
        if (group.size >= 192)
          throw new HallSymbolError(
            `Hall symbol "${symbol}": the generators do not close into a space group`,
          );
        group.set(key, c);
        queue.push(c);
      }
    }
  }
  return [...group.values()];
};

/** An operation as the 3x4 affine map (rows x', y', z'; columns x, y, z, shift) the CIF reader uses. */
export const opToAffine = (op: SymOp): Float64Array => {
  const m = new Float64Array(12);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) m[4 * i + j] = op.rotation[3 * i + j];
    m[4 * i + 3] = op.translation24[i] / D;
  }
  return m;
};
