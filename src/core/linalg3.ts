/**
 * Small dense 3x3 helpers on row-major Float64Array(9); rows of a cell matrix are its vectors.
 */

export const det3 = (m: ArrayLike<number>): number =>
  m[0] * (m[4] * m[8] - m[5] * m[7]) -
  m[1] * (m[3] * m[8] - m[5] * m[6]) +
  m[2] * (m[3] * m[7] - m[4] * m[6]);

/** Inverse of a 3x3 matrix; throws RangeError when singular (|det| below 1e-12 of the scale). */
export const inv3 = (m: ArrayLike<number>): Float64Array => {
  const d = det3(m);
  let scale = 0;
  for (let i = 0; i < 9; i++) scale = Math.max(scale, Math.abs(m[i]));
  if (!(Math.abs(d) > 1e-12 * scale * scale * scale)) throw new RangeError('singular 3x3 matrix');
  const r = new Float64Array(9);
  r[0] = (m[4] * m[8] - m[5] * m[7]) / d;
  r[1] = (m[2] * m[7] - m[1] * m[8]) / d;
  r[2] = (m[1] * m[5] - m[2] * m[4]) / d;
  r[3] = (m[5] * m[6] - m[3] * m[8]) / d;
  r[4] = (m[0] * m[8] - m[2] * m[6]) / d;
  r[5] = (m[2] * m[3] - m[0] * m[5]) / d;
  r[6] = (m[3] * m[7] - m[4] * m[6]) / d;
  r[7] = (m[1] * m[6] - m[0] * m[7]) / d;
  r[8] = (m[0] * m[4] - m[1] * m[3]) / d;
  return r;
};

/** Product a * b of two 3x3 matrices. */
export const mul3 = (a: ArrayLike<number>, b: ArrayLike<number>): Float64Array => {
  const r = new Float64Array(9);
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++)
      r[3 * i + j] = a[3 * i] * b[j] + a[3 * i + 1] * b[3 + j] + a[3 * i + 2] * b[6 + j];
  return r;
};

export const dot3 = (a: ArrayLike<number>, ia: number, b: ArrayLike<number>, ib: number): number =>
  a[ia] * b[ib] + a[ia + 1] * b[ib + 1] + a[ia + 2] * b[ib + 2];
