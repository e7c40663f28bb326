/**
 * The few complex operations the circuit elements need, on plain {re, im} pairs. tanh is written
 * so that it never overflows (large real parts of sqrt(j omega tau) at high frequency).
 */
export interface Complex {
  re: number;
  im: number;
}

export const cx = (re: number, im = 0): Complex => ({ re, im });
export const add = (a: Complex, b: Complex): Complex => ({ re: a.re + b.re, im: a.im + b.im });
export const sub = (a: Complex, b: Complex): Complex => ({ re: a.re - b.re, im: a.im - b.im });
export const mul = (a: Complex, b: Complex): Complex => ({
  re: a.re * b.re - a.im * b.im,
  im: a.re * b.im + a.im * b.re,
});
export const scale = (a: Complex, s: number): Complex => ({ re: a.re * s, im: a.im * s });
export const div = (a: Complex, b: Complex): Complex => {
  // Smith's algorithm: no overflow for large |b|.
  if (Math.abs(b.re) >= Math.abs(b.im)) {
    const r = b.im / b.re;
    const d = b.re + b.im * r;
    return { re: (a.re + a.im * r) / d, im: (a.im - a.re * r) / d };
  }
  const r = b.re / b.im;
  const d = b.re * r + b.im;
  return { re: (a.re * r + a.im) / d, im: (a.im * r - a.re) / d };
};
export const inv = (a: Complex): Complex => div(cx(1), a);
/** Principal square root. */
export const sqrt = (a: Complex): Complex => {
  const m = Math.hypot(a.re, a.im);
  if (m === 0) return cx(0);
  const re = Math.sqrt((m + Math.abs(a.re)) / 2);
  if (a.re >= 0) return { re, im: a.im / (2 * re) };
  return { re: Math.abs(a.im) / (2 * re), im: a.im >= 0 ? re : -re };
};
/** (j x)^alpha for x > 0: x^alpha exp(j pi alpha / 2). */
export const jPow = (x: number, alpha: number): Complex => {
  const m = x ** alpha;
  return { re: m * Math.cos((Math.PI * alpha) / 2), im: m * Math.sin((Math.PI * alpha) / 2) };
};
/** ln(j x) for x > 0. */
export const jLog = (x: number): Complex => ({ re: Math.log(x), im: Math.PI / 2 });
/**
 * tanh(x + iy) = (sign(x)(1 - t^2) + 2i t sin 2y) / (1 + t^2 + 2 t cos 2y), t = exp(-2|x|):
 * the usual sinh/cosh form divided by exp(2|x|) / 2, finite for every x. 1 - t^2 and the
 * denominator, (1 - t)^2 + 4 t cos^2 y, go through expm1 so that small arguments keep their digits.
 */
export const tanh = (a: Complex): Complex => {
  const ax = Math.abs(a.re);
  const t = Math.exp(-2 * ax);
  const oneMinusT = -Math.expm1(-2 * ax);
  const d = oneMinusT * oneMinusT + 4 * t * Math.cos(a.im) ** 2;
  return { re: (Math.sign(a.re) * -Math.expm1(-4 * ax)) / d, im: (2 * t * Math.sin(2 * a.im)) / d };
};
