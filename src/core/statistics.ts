/**
 * Statistics used across the library: block averages of correlated series, Student's t and
 * normal quantiles for confidence intervals.
 */

/** Two-sided 95 % quantile of the standard normal distribution, Phi^-1(0.975) (= scipy.stats.norm.ppf(0.975)). */
export const Z95 = 1.959963984540054;

/**
 * Mean of a correlated time series with its standard error by block averaging (Flyvbjerg and
 * Petersen, J. Chem. Phys. 91, 461 (1989)): the series is halved into blocks again and again;
 * the naive standard error of the block means grows until the blocks are longer than the
 * correlation time and then levels off. We report the largest value over the levels that still
 * have at least 8 blocks (conservative when the plateau is noisy).
 */
export interface BlockAverage {
  mean: number;
  standardError: number;
  samples: number;
  /** Samples per block at the level that gave the standard error. */
  blockLength: number;
}

/** The naive standard error of the mean of `data`, as if its values were independent. */
const naiveStandardError = (data: Float64Array, mean: number): number => {
  const m = data.length;
  let s = 0;
  for (const v of data) s += (v - mean) ** 2;
  return Math.sqrt(s / (m - 1) / m);
};

export const blockAverage = (values: ArrayLike<number>): BlockAverage => {
  const n = values.length;
  if (n < 2) throw new RangeError(`block averaging needs at least 2 samples, got ${n}`);
  let data = Float64Array.from(values);
  let mean = 0;
  for (const v of data) mean += v;
  mean /= n;
  let best = 0;
  let bestLength = 1;
  let length = 1;
  while (data.length >= 8) {
    const m = data.length;
    const se = naiveStandardError(data, mean);
    if (se > best) {
      best = se;
      bestLength = length;
    }
    const half = new Float64Array(m >> 1);
    for (let k = 0; k < half.length; k++) half[k] = 0.5 * (data[2 * k] + data[2 * k + 1]);
    data = half;
    length *= 2;
  }
  // Fewer than 8 samples: the naive error, said by blockLength 1.
  if (length === 1) best = naiveStandardError(data, mean);
  return { mean, standardError: best, samples: n, blockLength: bestLength };
};

/**
 * ln Gamma(x) for x > 0: Lanczos' series with Godfrey's coefficients (g = 607/128, 15 terms; as in
 * Numerical Recipes, 3rd ed., section 6.1), relative error below 1e-15.
 */
const LANCZOS = [
  57.15623566586292, -59.59796035547549, 14.136097974741746, -0.4919138160976202, 3.399464998481189e-5,
  4.652362892704858e-5, -9.837447530487956e-5, 0.0001580887032249125, -0.00021026444172410488,
  0.00021743961811521265, -0.0001643181065367639, 8.441822398385275e-5, -2.6190838401581408e-5,
  3.6899182659531625e-6,
];
export const logGamma = (x: number): number => {
  if (!(x > 0)) throw new RangeError(`logGamma needs x > 0, got ${x}`);
  let tmp = x + 5.2421875; // x + g + 1/2
  tmp = (x + 0.5) * Math.log(tmp) - tmp;
  let ser = 0.9999999999999971;
  let y = x;
  for (const c of LANCZOS) ser += c / ++y;
  return tmp + Math.log((2.5066282746310007 * ser) / x);
};

/** Stirling's series for ln Gamma(z) - [(z - 1/2) ln z - z + ln(2 pi) / 2]; truncation error < 1/(1188 z^9). */
const stirlingCorrection = (z: number): number => {
  const r = 1 / (z * z);
  return (1 / z) * (1 / 12 - r * (1 / 360 - r * (1 / 1260 - r / 1680)));
};

/**
 * ln B(a, b) = ln Gamma(a) + ln Gamma(b) - ln Gamma(a + b). When the larger argument is big, the
 * difference ln Gamma(big) - ln Gamma(big + small) is taken from Stirling's series in a form without
 * cancellation (-(big - 1/2) log1p(small / big) - small ln(big + small) + small + corrections), so
 * ln B keeps its absolute accuracy (~1e-15) for Student's t with a million degrees of freedom.
 */
const logBeta = (a: number, b: number): number => {
  const big = Math.max(a, b);
  const small = Math.min(a, b);
  if (big < 20) return logGamma(a) + logGamma(b) - logGamma(a + b);
  const diff =
    -(big - 0.5) * Math.log1p(small / big) -
    small * Math.log(big + small) +
    small +
    stirlingCorrection(big) -
    stirlingCorrection(big + small);
  return logGamma(small) + diff;
};

/**
 * Continued fraction for the incomplete beta function (modified Lentz; Numerical Recipes, 3rd ed.,
 * section 6.4, betacf): converges fast for x < (a + 1) / (a + b + 2).
 */
const betaContinuedFraction = (x: number, a: number, b: number): number => {
  const tiny = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 100_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) return h;
  }
  throw new RangeError(`the incomplete beta continued fraction did not converge (x ${x}, a ${a}, b ${b})`);
};

/**
 * I_x(a, b) with y = 1 - x given separately, so that callers who know 1 - x better than by
 * subtraction (Student's t: y = t^2 / (df + t^2)) keep its precision.
 */
const incompleteBeta = (x: number, y: number, a: number, b: number): number => {
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  const lnx = x < 0.5 ? Math.log(x) : Math.log1p(-y);
  const lny = y < 0.5 ? Math.log(y) : Math.log1p(-x);
  const front = Math.exp(a * lnx + b * lny - logBeta(a, b));
  // The continued fraction converges fast below (a + 1) / (a + b + 2); above, use the symmetry
  // I_x(a, b) = 1 - I_{1-x}(b, a).
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(y, b, a)) / b;
};

/**
 * The regularised incomplete beta function I_x(a, b) = B(x; a, b) / B(a, b), for 0 <= x <= 1 and
 * a, b > 0 (scipy.special.betainc). Relative accuracy ~1e-14 for moderate a and b.
 */
export const regularizedIncompleteBeta = (x: number, a: number, b: number): number => {
  if (!(a > 0 && b > 0)) throw new RangeError(`the incomplete beta function needs a, b > 0, got ${a}, ${b}`);
  if (!(x >= 0 && x <= 1)) throw new RangeError(`the incomplete beta function needs 0 <= x <= 1, got ${x}`);
  return incompleteBeta(x, 1 - x, a, b);
};

const checkDf = (df: number) => {
  if (!(df > 0 && Number.isFinite(df)))
    throw new RangeError(`Student's t needs finite degrees of freedom > 0, got ${df}`);
};

/** P(T > t) for t >= 0: I_x(df/2, 1/2) / 2 with x = df / (df + t^2). */
const studentTUpperTail = (t: number, df: number): number => {
  const t2 = t * t;
  return 0.5 * incompleteBeta(df / (df + t2), t2 / (df + t2), 0.5 * df, 0.5);
};

/** Density of Student's t: (1 + t^2/df)^(-(df+1)/2) / (sqrt(df) B(df/2, 1/2)). */
const studentTDensity = (t: number, df: number): number =>
  Math.exp(-logBeta(0.5 * df, 0.5) - 0.5 * Math.log(df) - 0.5 * (df + 1) * Math.log1p((t * t) / df));

/** Cumulative distribution function of Student's t with `df` degrees of freedom (scipy.stats.t.cdf). */
export const studentTCdf = (t: number, df: number): number => {
  checkDf(df);
  if (Number.isNaN(t)) return Number.NaN;
  if (t === Number.POSITIVE_INFINITY) return 1;
  if (t === Number.NEGATIVE_INFINITY) return 0;
  const tail = studentTUpperTail(Math.abs(t), df);
  return t >= 0 ? 1 - tail : tail;
};

/**
 * Rough standard normal quantile for a start value (Acklam's rational approximation, relative error
 * ~1e-9; P. J. Acklam, "An algorithm for computing the inverse normal cumulative distribution
 * function", 2003), for 0 < p < 0.5.
 */
const normalLowerQuantileStart = (p: number): number => {
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((-7.784894002430293e-3 * q - 3.223964580411365e-1) * q - 2.400758277161838) * q -
        2.549732539343734) *
        q +
        4.374664141464968) *
        q +
        2.938163982698783) /
      ((((7.784695709041462e-3 * q + 3.224671290700398e-1) * q + 2.445134137142996) * q + 3.754408661907416) *
        q +
        1)
    );
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((-3.969683028665376e1 * r + 2.209460984245205e2) * r - 2.759285104469687e2) * r +
      1.38357751867269e2) *
      r -
      3.066479806614716e1) *
      r +
      2.506628277459239) *
      q) /
    (((((-5.447609879822406e1 * r + 1.615858368580409e2) * r - 1.556989798598866e2) * r +
      6.680131188771972e1) *
      r -
      1.328068155288572e1) *
      r +
      1)
  );
};

/**
 * The root of a decreasing `excess` (positive below it) in x > 0: Newton's method with slope
 * -density(x) from `start`, kept inside a bracket [lo, hi] with excess(lo) > 0 > excess(hi) and
 * bisected (or, with no upper end yet, doubled) whenever a step would leave it; stops at a relative
 * step of 1e-15 or after `maxSteps` steps.
 */
const bracketedNewton = (
  excess: (x: number) => number,
  density: (x: number) => number,
  start: number,
  maxSteps: number,
): number => {
  let x = start;
  let lo = 0;
  let hi = Number.POSITIVE_INFINITY;
  for (let k = 0; k < maxSteps; k++) {
    const f = excess(x);
    if (f === 0) return x;
    if (f > 0) lo = x;
    else hi = x;
    let next = x + f / density(x);
    if (!(next > lo && next < hi)) next = Number.isFinite(hi) ? 0.5 * (lo + hi) : 2 * Math.max(x, 1);
    if (Math.abs(next - x) <= 1e-15 * next) return next;
    x = next;
  }
  return x;
};

/**
 * t >= 0 with P(T > t) = q, given q (0 < q <= 1/2) and c = 1 - 2q = P(|T| < t), each exact. Near
 * the centre the equation is solved as P(|T| < t) = c, in the tails as P(T > t) = q, so that
 * neither side is a difference of nearly equal numbers.
 */
const studentTUpperQuantile = (q: number, c: number, df: number): number => {
  const central = q > 0.25;
  // Closed forms: Cauchy (df = 1), t = tan(pi c / 2) = cot(pi q), and df = 2.
  if (df === 1) return central ? Math.tan(0.5 * Math.PI * c) : 1 / Math.tan(Math.PI * q);
  if (df === 2) return c / Math.sqrt(2 * q * (1 - q));
  // P(T > t) - q, or (c - P(|T| < t)) / 2 = the same near the centre; both fall with slope -density.
  const excess = (t: number) => {
    const t2 = t * t;
    const x = df / (df + t2);
    const y = t2 / (df + t2);
    return central
      ? 0.5 * (c - incompleteBeta(y, x, 0.5, 0.5 * df))
      : 0.5 * incompleteBeta(x, y, 0.5 * df, 0.5) - q;
  };
  // Start from the Cornish-Fisher expansion about the normal quantile z (Abramowitz and Stegun
  // 26.7.5, first two terms), then Newton's method on the exact distribution function, kept inside
  // a bracket [lo, hi] with excess(lo) > 0 > excess(hi) and bisected whenever a step would leave it.
  const z = -normalLowerQuantileStart(q);
  const start = z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df * df);
  return bracketedNewton(excess, (t) => studentTDensity(t, df), start, 400);
};

/**
 * Quantile of Student's t with `df` degrees of freedom: the t with P(T <= t) = p (scipy.stats.t.ppf,
 * which is less accurate: ~1e-9). Newton's method on the distribution function, itself the
 * regularised incomplete beta function by its continued fraction. Relative accuracy 1e-11 or better
 * for df up to 1e6 (checked against mpmath at 40 digits); beyond, the continued fraction loses
 * about df x 1e-17 (1e-8 at df = 1e9, where t is within 3e-9 of the normal quantile anyway).
 */
export const studentTQuantile = (p: number, df: number): number => {
  checkDf(df);
  if (!(p > 0 && p < 1)) throw new RangeError(`a quantile needs 0 < p < 1, got ${p}`);
  if (p === 0.5) return 0;
  // For p >= 1/2, 1 - p and 2p - 1 are exact (Sterbenz), as are p and 1 - 2p for 1/4 <= p < 1/2.
  return p > 0.5 ? studentTUpperQuantile(1 - p, 2 * p - 1, df) : -studentTUpperQuantile(p, 1 - 2 * p, df);
};

/**
 * Two-sided 95 % quantile of Student's t, t_{0.975}(df): the half-width of a 95 % confidence
 * interval for a mean of df + 1 samples is studentT95(df) x standard error. NaN for df <= 0.
 */
export const studentT95 = (df: number): number => (df > 0 ? studentTQuantile(0.975, df) : Number.NaN);

/**
 * Regularised lower incomplete gamma function P(a, x) = gamma(a, x) / Gamma(a) for a > 0, x >= 0
 * (scipy.special.gammainc): its series below x = a + 1, else 1 - Q(a, x) from Legendre's continued
 * fraction for Q (modified Lentz; Numerical Recipes, 3rd ed., section 6.2, gser and gcf). Relative
 * accuracy ~1e-14 for moderate a. `upper` returns Q(a, x) = 1 - P(a, x) without the subtraction.
 */
const incompleteGamma = (a: number, x: number, upper: boolean): number => {
  if (x === 0) return upper ? 1 : 0;
  if (x === Number.POSITIVE_INFINITY) return upper ? 0 : 1;
  const front = Math.exp(-x + a * Math.log(x) - logGamma(a));
  if (x < a + 1) {
    let ap = a;
    let del = 1 / a;
    let sum = del;
    for (let n = 0; n < 100_000; n++) {
      ap += 1;
      del *= x / ap;
      sum += del;
      if (Math.abs(del) < Math.abs(sum) * 1e-17) break;
    }
    const p = sum * front;
    return upper ? 1 - p : p;
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i <= 100_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  const q = front * h;
  return upper ? q : 1 - q;
};

const checkedIncompleteGamma = (a: number, x: number, upper: boolean): number => {
  if (!(a > 0 && Number.isFinite(a)))
    throw new RangeError(`the incomplete gamma function needs a > 0, got ${a}`);
  if (!(x >= 0)) throw new RangeError(`the incomplete gamma function needs x >= 0, got ${x}`);
  return incompleteGamma(a, x, upper);
};

/** P(a, x), the regularised lower incomplete gamma function (scipy.special.gammainc). */
export const regularizedLowerGamma = (a: number, x: number): number => checkedIncompleteGamma(a, x, false);

/** Q(a, x) = 1 - P(a, x), the regularised upper incomplete gamma function (scipy.special.gammaincc). */
export const regularizedUpperGamma = (a: number, x: number): number => checkedIncompleteGamma(a, x, true);

/**
 * Quantile of the gamma distribution with shape a and unit scale: the x with P(a, x) = p
 * (scipy.stats.gamma.ppf(p, a)). Start from Wilson and Hilferty's cube-root normal approximation
 * (or the small-x power law x ~ (p a Gamma(a))^(1/a) when that is below zero), then Newton's method
 * on the exact P (lower tail) or Q (upper tail, p > 1/2, so that small 1 - p keeps its digits),
 * kept inside a bracket and bisected when a step would leave it.
 */
export const gammaQuantile = (p: number, a: number): number => {
  if (!(a > 0 && Number.isFinite(a)))
    throw new RangeError(`the gamma distribution needs a shape > 0, got ${a}`);
  if (!(p > 0 && p < 1)) throw new RangeError(`a quantile needs 0 < p < 1, got ${p}`);
  const upper = p > 0.5;
  const target = upper ? 1 - p : p;
  // excess(x) > 0 while x is below the quantile.
  const excess = (x: number) =>
    upper ? incompleteGamma(a, x, true) - target : target - incompleteGamma(a, x, false);
  const density = (x: number) => Math.exp(-x + (a - 1) * Math.log(x) - logGamma(a));
  const z = upper ? -normalLowerQuantileStart(target) : normalLowerQuantileStart(target);
  const w = 1 - 1 / (9 * a) + z / (3 * Math.sqrt(a));
  let x = w > 0 ? a * w * w * w : Math.exp((Math.log(p) + Math.log(a) + logGamma(a)) / a);
  if (!(x > 0) || !Number.isFinite(x)) x = a;
  return bracketedNewton(excess, density, x, 500);
};

/** Quantile of the chi-square distribution with `df` degrees of freedom (scipy.stats.chi2.ppf): 2 x gamma(df / 2). */
export const chiSquareQuantile = (p: number, df: number): number => {
  if (!(df > 0 && Number.isFinite(df)))
    throw new RangeError(`the chi-square distribution needs finite df > 0, got ${df}`);
  return 2 * gammaQuantile(p, 0.5 * df);
};

/**
 * Exact (Garwood, Biometrika 28, 437 (1936)) two-sided confidence interval for the mean of a
 * Poisson count k: [chi2_{(1-c)/2}(2k) / 2, chi2_{(1+c)/2}(2k + 2) / 2], the lower end 0 for k = 0.
 * Central, so each tail holds at most (1 - c) / 2; for k = 0 the upper end is -ln((1 - c) / 2)
 * (3.689 at 95 %).
 */
export const poissonInterval = (k: number, confidence = 0.95): [number, number] => {
  if (!(Number.isInteger(k) && k >= 0))
    throw new RangeError(`a Poisson count must be a whole number >= 0, got ${k}`);
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  const tail = 0.5 * (1 - confidence);
  const low = k === 0 ? 0 : 0.5 * chiSquareQuantile(tail, 2 * k);
  return [low, 0.5 * chiSquareQuantile(1 - tail, 2 * k + 2)];
};
