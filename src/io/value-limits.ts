import { OligolyteError, ParseError } from '../core/errors.js';
import type { Structure } from '../core/frame.js';

/**
 * The numbers a structure may carry into or out of a file (issue 25 item 7). A non-finite number
 * is never data: a text writer would print "Infinity" or "NaN", which no reader (this one
 * included) takes back, and a reader that lets one through turns every later result into NaN.
 * A coordinate or cell component beyond 1e10 A (a metre) does not come from a simulation of
 * atoms (byte-swapped floats and blown-up runs land there), and a double that large resolves
 * no better than 2e-6 A.
 */
export const MAX_COORDINATE_A = 1e10;

/**
 * Largest fractional coordinate: a million cells. Wrapping a larger one into the cell keeps ever
 * fewer of its digits, and from 2^52 on every double is a whole number, so it lands at 0.
 */
export const MAX_FRACTIONAL = 1e6;

/** A number that is not usable, and where it is in a frame. */
export interface ValueProblem {
  /** 'the x coordinate of atom 7' (atoms count from 1). */
  what: string;
  /** What the value should be: 'finite, within +-1e10 A'. */
  expected: string;
  value: number;
  /** Index of the value in the array it came from. */
  index: number;
}

const XYZ = 'xyz';

/** The first value of `a` that is not finite or exceeds `limit` in magnitude (-1 if none). */
export const firstBadValue = (a: ArrayLike<number>, limit = Number.POSITIVE_INFINITY): number => {
  for (let i = 0; i < a.length; i++) if (!(Math.abs(a[i]) <= limit)) return i;
  return -1;
};

/** 'finite' or 'finite, within +-1e10 A'. */
export const finiteWithin = (limit: number, unit: string): string =>
  limit === Number.POSITIVE_INFINITY ? 'finite' : `finite, within +-${limit} ${unit}`;

/**
 * The first unusable number of a frame: positions and cell vectors must be finite and within
 * MAX_COORDINATE_A; velocities, forces, stress, energy and time finite.
 */
export const frameValueProblem = (
  { frame }: Structure,
  /** The positions were checked already (markPositionsChecked): skip them. */
  positionsDone = false,
): ValueProblem | undefined => {
  const perAtom = (a: Float64Array | undefined, name: string, limit = Number.POSITIVE_INFINITY) => {
    const i = a ? firstBadValue(a, limit) : -1;
    if (!a || i < 0) return undefined;
    return {
      what: `the ${XYZ[i % 3]} ${name} of atom ${Math.floor(i / 3) + 1}`,
      expected: finiteWithin(limit, 'A'),
      value: a[i],
      index: i,
    };
  };
  const p =
    (positionsDone ? undefined : perAtom(frame.positions, 'coordinate', MAX_COORDINATE_A)) ??
    perAtom(frame.velocities, 'velocity') ??
    perAtom(frame.forces, 'force');
  if (p) return p;
  if (frame.lattice) {
    const m = frame.lattice.matrix;
    const i = firstBadValue(m, MAX_COORDINATE_A);
    if (i >= 0)
      return {
        what: `the ${XYZ[i % 3]} component of cell vector ${'abc'[Math.floor(i / 3)]}`,
        expected: finiteWithin(MAX_COORDINATE_A, 'A'),
        value: m[i],
        index: i,
      };
  }
  const scalar = (v: number | undefined, what: string) =>
    v !== undefined && !Number.isFinite(v) ? { what, expected: 'finite', value: v, index: 0 } : undefined;
  const i = frame.stress ? firstBadValue(frame.stress) : -1;
  if (i >= 0)
    return { what: `stress component ${i + 1}`, expected: 'finite', value: frame.stress![i], index: i };
  return scalar(frame.energy, 'the energy') ?? scalar(frame.timeFs, 'the time');
};

/**
 * Frames whose positions their reader already checked, value by value, as it converted them (and
 * refused with the byte offset): checkReadFrame does not scan those positions a second time. Only
 * the read path consults it (writers check every frame), between the reader's yield and the
 * caller, before anyone else can touch the frame.
 */
const positionsChecked = new WeakSet<object>();

/** A reader says: every position of `frame` is finite and within MAX_COORDINATE_A (checked). */
export const markPositionsChecked = (frame: object): void => {
  positionsChecked.add(frame);
};

/**
 * Refuse a frame read from `file` that carries an unusable number: a ParseError naming the frame
 * (1-based, counted in the file) and the atom, at the frame's place when the reader recorded it.
 * Readers check the numbers they parse where they parse them (with the line or byte offset);
 * this is the net under every reader for what they build from them (a fractional coordinate
 * times a huge cell, a cell from six parameters).
 */
export const checkReadFrame = (s: Structure, file: string, frameNo: number): void => {
  const bad = frameValueProblem(s, positionsChecked.has(s.frame));
  if (!bad) return;
  const at = s.source?.file === file ? s.source : undefined;
  throw new ParseError({
    file,
    line: at?.line,
    byteOffset: at?.byteOffset,
    expected: `${bad.what} in frame ${frameNo} to be ${bad.expected}`,
    found: String(bad.value),
  });
};

/**
 * Refuse to write a frame that carries an unusable number (issue 25 item 7: 1e308 was written as
 * "Infinity", which no reader takes back): an OligolyteError naming the file, the frame (1-based)
 * and the atom.
 */
export const checkWriteFrame = (s: Structure, file: string, frameNo: number): void => {
  const bad = frameValueProblem(s);
  if (bad)
    throw new OligolyteError(
      `${file}: cannot write frame ${frameNo}: ${bad.what} is ${bad.value}; it must be ${bad.expected}`,
    );
};
