/**
 * Hybrid-36 numbers: how PDB files carry atom serials above 99999 (5 columns) and residue numbers
 * above 9999 (4 columns). Decimal up to 10^w - 1, then upper-case base 36 starting at "A0000",
 * then lower-case base 36 starting at "a0000". Scheme by R. W. Grosse-Kunstleve (cctbx,
 * http://cci.lbl.gov/hybrid_36/); read by MDAnalysis, VMD, OpenMM and written by most MD tools.
 */

const digitValue = (c: number): number => {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 90) return c - 55;
  if (c >= 97 && c <= 122) return c - 87;
  return -1;
};

/**
 * The value of a hybrid-36 field of width `width` (already trimmed text is fine for decimals);
 * NaN when it is not one (blank, '*****', mixed-case letters).
 */
export const decodeHybrid36 = (text: string, width: number): number => {
  const t = text.trim();
  if (t === '') return Number.NaN;
  if (/^-?\d+$/.test(t)) return Number(t);
  if (t.length !== width) return Number.NaN;
  const upper = /^[A-Z][0-9A-Z]*$/.test(t);
  const lower = /^[a-z][0-9a-z]*$/.test(t);
  if (!upper && !lower) return Number.NaN;
  let v = 0;
  for (let i = 0; i < t.length; i++) v = v * 36 + digitValue(t.charCodeAt(i));
  const block = 36 ** (width - 1);
  // "A000..." (value 10 * 36^(w-1)) follows 10^w - 1; "a000..." follows "ZZZ...".
  return upper ? v - 10 * block + 10 ** width : v + 16 * block + 10 ** width;
};

/** `n` (>= 0) as a right-aligned hybrid-36 field of width `width`; throws RangeError past the last. */
export const encodeHybrid36 = (n: number, width: number): string => {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`hybrid-36: ${n} is not a whole number >= 0`);
  const dec = 10 ** width;
  if (n < dec) return String(n).padStart(width);
  const block = 36 ** (width - 1);
  let v: number;
  let upper: boolean;
  if (n < dec + 26 * block) {
    v = n - dec + 10 * block;
    upper = true;
  } else if (n < dec + 52 * block) {
    v = n - dec - 16 * block;
    upper = false;
  } else throw new RangeError(`hybrid-36: ${n} does not fit in ${width} columns`);
  const s = v.toString(36);
  return upper ? s.toUpperCase() : s;
};
