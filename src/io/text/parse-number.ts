/**
 * Strict, fast number parsing straight from bytes (no string allocation on the common path).
 *
 * Floats use Clinger's fast path (W. D. Clinger, "How to read floating point numbers accurately",
 * PLDI 1990): a decimal with at most 15 significant digits and a power-of-ten exponent within
 * +-22 is exactly m * 10^e or m / 10^-e in one correctly rounded operation, so the result equals
 * JavaScript's Number(text). Anything else falls back to Number() on the decoded text. Both return
 * NaN for text that is not entirely a number ("1.0x", "nan", "", "1e"), so callers can report it.
 */

const POW10 = Float64Array.from({ length: 23 }, (_, k) => 10 ** k);

const decode = (b: Uint8Array, s: number, e: number): string => {
  let out = '';
  for (let i = s; i < e; i++) out += String.fromCharCode(b[i]);
  return out;
};

const slow = (b: Uint8Array, s: number, e: number): number => {
  const t = decode(b, s, e);
  // Number() accepts forms we do not want as data ('0x10', 'Infinity', ' 5 '); require plain decimals.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Number.NaN;
  return Number(t);
};

export const parseFloatBytes = (b: Uint8Array, s: number, e: number): number => {
  let i = s;
  let neg = false;
  if (i < e && (b[i] === 45 || b[i] === 43)) {
    neg = b[i] === 45;
    i++;
  }
  let mant = 0;
  let sig = 0;
  let exp = 0;
  let digits = 0;
  let c = 0;
  while (i < e && (c = b[i] - 48) >= 0 && c <= 9) {
    if (sig > 0 || c !== 0) sig++;
    mant = mant * 10 + c;
    digits++;
    i++;
  }
  if (i < e && b[i] === 46) {
    i++;
    while (i < e && (c = b[i] - 48) >= 0 && c <= 9) {
      if (sig > 0 || c !== 0) sig++;
      mant = mant * 10 + c;
      exp--;
      digits++;
      i++;
    }
  }
  if (digits === 0) return Number.NaN;
  if (i < e && (b[i] === 101 || b[i] === 69)) {
    i++;
    let eneg = false;
    if (i < e && (b[i] === 45 || b[i] === 43)) {
      eneg = b[i] === 45;
      i++;
    }
    let ev = 0;
    let ed = 0;
    while (i < e && (c = b[i] - 48) >= 0 && c <= 9) {
      ev = ev * 10 + c;
      ed++;
      i++;
      if (ev > 100000) return slow(b, s, e);
    }
    if (ed === 0) return Number.NaN;
    exp += eneg ? -ev : ev;
  }
  if (i !== e) return Number.NaN;
  if (sig > 15) return slow(b, s, e);
  let v: number;
  if (mant === 0) v = 0;
  else if (exp >= 0 && exp <= 22) v = mant * POW10[exp];
  else if (exp < 0 && exp >= -22) v = mant / POW10[-exp];
  else return slow(b, s, e);
  return neg ? -v : v;
};

/** A strict integer (optional sign, digits only), or NaN. */
export const parseIntBytes = (b: Uint8Array, s: number, e: number): number => {
  let i = s;
  let neg = false;
  if (i < e && (b[i] === 45 || b[i] === 43)) {
    neg = b[i] === 45;
    i++;
  }
  if (i === e) return Number.NaN;
  let v = 0;
  for (; i < e; i++) {
    const c = b[i] - 48;
    if (c < 0 || c > 9) return Number.NaN;
    v = v * 10 + c;
  }
  return neg ? -v : v;
};

export const decodeLatin1 = decode;
