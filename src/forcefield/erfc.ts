/**
 * Complementary error function, relative error about 1e-13 or better for the arguments used here:
 * the Taylor series of erf below 2.5, the continued fraction of erfc above (Lentz's method).
 */
export const erfc = (x: number): number => {
  const z = Math.abs(x);
  let r: number;
  if (z < 2.5) {
    // erf by its Taylor series (converges fast for z < 2.5): erf z = 2/sqrt(pi) sum (-1)^n z^(2n+1) / (n! (2n+1)).
    let term = z;
    let sum = z;
    const z2 = z * z;
    for (let k = 1; k < 200; k++) {
      term *= -z2 / k;
      const add = term / (2 * k + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    r = 1 - (2 / Math.sqrt(Math.PI)) * sum;
  } else {
    // Continued fraction (Lentz) for erfc z = exp(-z^2)/sqrt(pi) * 1/(z + 1/2/(z + 1/(z + 3/2/(z + ...)))).
    let f = z;
    let C = z;
    let D = 0;
    for (let k = 1; k < 300; k++) {
      const a = k / 2;
      D = z + a * D;
      D = 1 / D;
      C = z + a / C;
      const delta = C * D;
      f *= delta;
      if (Math.abs(delta - 1) < 1e-16) break;
    }
    r = Math.exp(-z * z) / Math.sqrt(Math.PI) / f;
  }
  return x >= 0 ? r : 2 - r;
};
