/**
 * The first peak and the first minimum of a radial distribution function, found robustly on a
 * noisy histogram: the curve is smoothed with a Gaussian (sigma 0.08 A, at least one bin), a peak
 * or minimum must be the extreme value within +-0.3 A of itself (so a ripple of noise on a flank
 * is not one), and the position is refined by a parabola through the three smoothed points around
 * it. The first peak is the first such maximum that reaches half the curve's highest (smoothed)
 * value; the first minimum is the first such minimum after it that lies below the peak by at
 * least 10 % of the peak's height and is followed by a rise (within 1 A) of at least 2 % of it.
 * Used for coordination cut-offs (the minimum after the first shell).
 */

const SIGMA_A = 0.08;
const WINDOW_A = 0.3;

const spacing = (r: Float64Array) => (r.length > 1 ? r[1] - r[0] : 1);

/** Gaussian smoothing with reflecting ends; sigma in bins. */
export const smoothGaussian = (g: Float64Array, sigmaBins: number): Float64Array => {
  const n = g.length;
  const half = Math.max(1, Math.ceil(3 * sigmaBins));
  const w = new Float64Array(2 * half + 1);
  let sum = 0;
  for (let k = -half; k <= half; k++) sum += w[k + half] = Math.exp(-0.5 * (k / sigmaBins) ** 2);
  for (let k = 0; k < w.length; k++) w[k] /= sum;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = -half; k <= half; k++) {
      let j = i + k;
      if (j < 0) j = -j - 1;
      if (j >= n) j = 2 * n - j - 1;
      j = Math.min(n - 1, Math.max(0, j));
      const v = g[j];
      s += w[k + half] * (Number.isFinite(v) ? v : 0);
    }
    out[i] = s;
  }
  return out;
};

const refine = (r: Float64Array, s: Float64Array, m: number) => {
  if (m <= 0 || m >= s.length - 1) return { r: r[m], g: s[m] };
  const a = s[m - 1];
  const b = s[m];
  const c = s[m + 1];
  const den = a - 2 * b + c;
  if (den === 0) return { r: r[m], g: b };
  const d = Math.max(-0.5, Math.min(0.5, (0.5 * (a - c)) / den));
  // A g(r) is never negative; the parabola may dip below 0 at a minimum that touches 0.
  return { r: r[m] + d * spacing(r), g: Math.max(b - 0.25 * (a - c) * d, Math.min(0, b)) };
};

const analyse = (r: Float64Array, g: Float64Array) => {
  const n = Math.min(r.length, g.length);
  if (n < 3) return undefined;
  const dr = spacing(r);
  if (!(dr > 0)) return undefined;
  const s = smoothGaussian(g.subarray(0, n), Math.max(1, SIGMA_A / dr));
  const w = Math.max(1, Math.round(WINDOW_A / dr));
  let top = 0;
  for (let i = 0; i < n; i++) top = Math.max(top, s[i]);
  if (!(top > 0)) return undefined;
  let peak = -1;
  for (let i = 1; i < n - 1 && peak < 0; i++) {
    if (s[i] < 0.5 * top) continue;
    let best = true;
    for (let k = Math.max(0, i - w); k <= Math.min(n - 1, i + w) && best; k++) if (s[k] > s[i]) best = false;
    if (best && s[i] > s[i + 1]) peak = i;
  }
  if (peak < 0) return { s, peak: undefined, min: undefined };
  const rise = Math.max(w, Math.round(1 / dr));
  let min = -1;
  for (let i = peak + 1; i < n - w && min < 0; i++) {
    if (s[peak] - s[i] < 0.1 * s[peak]) continue;
    let lowest = true;
    for (let k = Math.max(peak, i - w); k <= i + w && lowest; k++) if (s[k] < s[i]) lowest = false;
    if (!lowest) continue;
    let after = s[i];
    for (let k = i + 1; k <= Math.min(n - 1, i + rise); k++) after = Math.max(after, s[k]);
    if (after - s[i] >= 0.02 * s[peak]) min = i;
  }
  return { s, peak, min: min < 0 ? undefined : min };
};

/** The first peak of g(r) (r at the bin centres, uniform spacing), or undefined. */
export const firstPeak = (r: Float64Array, g: Float64Array): { r: number; g: number } | undefined => {
  const a = analyse(r, g);
  return a?.peak === undefined ? undefined : refine(r, a.s, a.peak);
};

/** The first minimum of g(r) after its first peak (see above), or undefined when there is none. */
export const firstMinimum = (r: Float64Array, g: Float64Array): { r: number; g: number } | undefined => {
  const a = analyse(r, g);
  return a?.min === undefined ? undefined : refine(r, a.s, a.min);
};
