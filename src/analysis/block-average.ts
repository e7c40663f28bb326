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
    let s = 0;
    for (const v of data) s += (v - mean) ** 2;
    const se = Math.sqrt(s / (m - 1) / m);
    if (se > best) {
      best = se;
      bestLength = length;
    }
    const half = new Float64Array(m >> 1);
    for (let k = 0; k < half.length; k++) half[k] = 0.5 * (data[2 * k] + data[2 * k + 1]);
    data = half;
    length *= 2;
  }
  if (length === 1) {
    // Fewer than 8 samples: the naive error, said by blockLength 1.
    let s = 0;
    for (const v of data) s += (v - mean) ** 2;
    best = Math.sqrt(s / (n - 1) / n);
  }
  return { mean, standardError: best, samples: n, blockLength: bestLength };
};
