/**
 * Exact rational numbers (BigInt numerator and positive denominator, always reduced), for element
 * balances whose answers must be exact small integers.
 */
export class Rational {
  readonly num: bigint;
  readonly den: bigint;

  constructor(num: bigint, den: bigint = 1n) {
    if (den === 0n) throw new RangeError('rational with zero denominator');
    if (den < 0n) {
      num = -num;
      den = -den;
    }
    const g = gcd(num < 0n ? -num : num, den);
    this.num = g > 1n ? num / g : num;
    this.den = g > 1n ? den / g : den;
  }

  static readonly ZERO = new Rational(0n);
  static readonly ONE = new Rational(1n);

  /** The exact value of a decimal string or a number with a short decimal expansion: '0.75' -> 3/4. */
  static fromDecimal(x: number | string): Rational {
    const s = typeof x === 'number' ? String(x) : x.trim();
    const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(s);
    if (!m || (m[2] === '' && !m[3])) throw new RangeError(`not a decimal number: "${s}"`);
    const frac = m[3] ?? '';
    const num = BigInt((m[2] || '0') + frac) * (m[1] === '-' ? -1n : 1n);
    return new Rational(num, 10n ** BigInt(frac.length));
  }

  static of(n: number): Rational {
    if (!Number.isInteger(n)) return Rational.fromDecimal(n);
    return new Rational(BigInt(n));
  }

  add(o: Rational): Rational {
    return new Rational(this.num * o.den + o.num * this.den, this.den * o.den);
  }
  sub(o: Rational): Rational {
    return new Rational(this.num * o.den - o.num * this.den, this.den * o.den);
  }
  mul(o: Rational): Rational {
    return new Rational(this.num * o.num, this.den * o.den);
  }
  div(o: Rational): Rational {
    if (o.num === 0n) throw new RangeError('division by zero');
    return new Rational(this.num * o.den, this.den * o.num);
  }
  get isZero(): boolean {
    return this.num === 0n;
  }
  get sign(): number {
    return this.num === 0n ? 0 : this.num > 0n ? 1 : -1;
  }
  compare(o: Rational): number {
    return this.sub(o).sign;
  }
  toNumber(): number {
    return Number(this.num) / Number(this.den);
  }
  toString(): string {
    return this.den === 1n ? String(this.num) : `${this.num}/${this.den}`;
  }
}

/** Greatest common divisor of |a| and |b| (a function declaration: the class's statics need it hoisted). */
export function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

export const lcm = (a: bigint, b: bigint): bigint => (a / gcd(a, b)) * b;

/** The smallest positive integer multiple of the vector: [1/2, 3/4] -> [2, 3]. */
export const smallestIntegers = (v: readonly Rational[]): bigint[] => {
  let den = 1n;
  for (const x of v) den = lcm(den, x.den);
  const ints = v.map((x) => (x.num * den) / x.den);
  let g = 0n;
  for (const n of ints) g = gcd(g, n < 0n ? -n : n);
  return g > 1n ? ints.map((n) => n / g) : ints;
};
