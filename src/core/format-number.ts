/**
 * A number for a printed table: `digits` significant digits, in exponent form when its magnitude
 * is below `expBelow` or at least `expFrom` (zero stays plain); "n/a" for NaN and infinities.
 */
export const formatSignificant = (v: number, digits: number, expBelow: number, expFrom: number): string => {
  if (!Number.isFinite(v)) return 'n/a';
  const a = Math.abs(v);
  return a !== 0 && (a < expBelow || a >= expFrom) ? v.toExponential(digits - 1) : v.toPrecision(digits);
};
