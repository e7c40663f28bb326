import { Composition } from '../core/composition.js';
import { OptionError } from '../core/errors.js';
import { gcd, Rational } from './rational.js';

/**
 * Named compositions of the LAOC family (../shared/SCIENCE.md, sections 1-2).
 *
 * Units, with M the alkali cation (Li, Na, K or a mixture):
 *   0b  M3Al3O2Cl8  saturated linear trimer [Al3O2Cl8]3- + 3 M+
 *   1b  M2Al3O2Cl7  one chain end healed by a bridging Cl (one M+Cl- fewer)
 *   2b  MAl3O2Cl6   both ends healed
 *   tetramer M4Al4O3Cl10, plasticiser MAlCl4
 * LAOC^xb is a mixture with on average x bridging Cl per trimer: 0 <= x <= 1 mixes 0b and 1b as
 * (1 - x) : x, 1 < x <= 2 mixes 1b and 2b as (2 - x) : (x - 1). x is exact: a decimal (1.5) or
 * a fraction (1/3). The study's label "0.3b" stands for x = 1/3 (2 x 0b : 1 x 1b, SCIENCE.md),
 * and is read that way. A leading P adds the plasticiser MAlCl4 at 3 trimers : 1.
 * The cation letter: L (Li), N (Na), K (K), or a mixture in brackets, (Na0.75K0.25)AOC^0.3b.
 */
export interface MixtureUnit {
  /** Unit label: 'LAOC^0b', 'NAOC^1b', 'LiAlCl4', ... */
  label: string;
  formula: Composition;
  /** Whole number of units in the smallest integer mixture. */
  count: number;
}

export interface NamedMixture {
  /** The name as given. */
  name: string;
  /** Average number of bridging Cl per trimer (undefined for units that are not trimer mixtures). */
  bridging?: Rational;
  /** Cation fractions (sum 1). */
  cations: ReadonlyMap<string, number>;
  /** The smallest whole-number mixture of units. */
  units: MixtureUnit[];
  /** Total composition of that mixture. */
  composition: Composition;
  /** Notes about how the name was read (the study's labels). */
  notes: string[];
}

const CATION_LETTER: Record<string, string> = { L: 'Li', N: 'Na', K: 'K' };

/** The study's rounded labels that stand for an exact x. */
const STUDY_LABELS: Record<string, Rational> = { '0.3': new Rational(1n, 3n), '.3': new Rational(1n, 3n) };

const unitFormula = (cations: ReadonlyMap<string, number>, perUnit: number, rest: [string, number][]) =>
  new Composition([...[...cations].map(([e, f]) => [e, f * perUnit] as [string, number]), ...rest]);

export const trimerFormula = (cations: ReadonlyMap<string, number>, bridges: 0 | 1 | 2): Composition =>
  unitFormula(cations, 3 - bridges, [
    ['Al', 3],
    ['O', 2],
    ['Cl', 8 - bridges],
  ]);

export const plasticiserFormula = (cations: ReadonlyMap<string, number>): Composition =>
  unitFormula(cations, 1, [
    ['Al', 1],
    ['Cl', 4],
  ]);

export const tetramerFormula = (cations: ReadonlyMap<string, number>): Composition =>
  unitFormula(cations, 4, [
    ['Al', 4],
    ['O', 3],
    ['Cl', 10],
  ]);

const GRAMMAR =
  'a name such as LAOC^1.5b, PLAOC^0.3b, NAOC^0b, KAOC^2b, (Na0.75K0.25)AOC^1b, LAOC^1/3b, or "tetramer"';

/** Parse the cation part: a letter L/N/K or a bracketed mixture of Li, Na, K with fractions summing to 1. */
const parseCations = (text: string, name: string): Map<string, number> => {
  if (CATION_LETTER[text]) return new Map([[CATION_LETTER[text], 1]]);
  const m = /^\((.+)\)$/.exec(text);
  if (!m)
    throw new OptionError(
      `"${name}": unknown cation "${text}"; expected L, N, K or a mixture like (Na0.75K0.25)`,
    );
  const parts = [...m[1].matchAll(/([A-Z][a-z]?)(\d*\.?\d*)/g)];
  if (parts.map((p) => p[0]).join('') !== m[1])
    throw new OptionError(`"${name}": cannot read the cation mixture "${m[1]}"`);
  const out = new Map<string, number>();
  let sum = Rational.ZERO;
  for (const [, el, frac] of parts) {
    if (!['Li', 'Na', 'K'].includes(el))
      throw new OptionError(`"${name}": ${el} is not an alkali cation (Li, Na, K)`);
    const f = frac === '' ? Rational.ONE : Rational.fromDecimal(frac);
    sum = sum.add(f);
    out.set(el, (out.get(el) ?? 0) + f.toNumber());
  }
  if (sum.compare(Rational.ONE) !== 0)
    throw new OptionError(`"${name}": cation fractions add up to ${sum}, not 1`);
  return out;
};

const cationLabel = (cations: ReadonlyMap<string, number>): string => {
  if (cations.size === 1) {
    const [el] = cations.keys();
    return { Li: 'L', Na: 'N', K: 'K' }[el] ?? el;
  }
  return `(${[...cations].map(([e, f]) => `${e}${f}`).join('')})`;
};

/** Read a named composition (see the module comment); anything else is an OptionError that says what is accepted. */
export const parseLaocName = (name: string): NamedMixture => {
  const text = name.trim();
  const notes: string[] = [];
  const tetramer = /^(\(.+\)|[LNK])?(?:AOC[-_ ]?)?tetramer$/i.exec(text);
  if (tetramer) {
    const cations = parseCations(tetramer[1] ?? 'L', name);
    const f = tetramerFormula(cations);
    return {
      name,
      cations,
      units: [{ label: `${cationLabel(cations)}AOC tetramer`, formula: f, count: 1 }],
      composition: f,
      notes,
    };
  }
  const m = /^(P?)(\(.+\)|[LNK])AOC\^?(\d+(?:\.\d*)?|\.\d+|\d+\/\d+)b$/.exec(text);
  if (!m) throw new OptionError(`cannot read the composition name "${name}": expected ${GRAMMAR}`);
  const [, plasticised, cationText, xText] = m;
  const cations = parseCations(cationText, name);
  let x: Rational;
  if (xText.includes('/')) {
    const [a, b] = xText.split('/');
    if (BigInt(b) === 0n) throw new OptionError(`"${name}": zero denominator`);
    x = new Rational(BigInt(a), BigInt(b));
  } else if (STUDY_LABELS[xText]) {
    x = STUDY_LABELS[xText];
    notes.push(`"${xText}b" is read as the study's label for x = ${x} (2 x 0b : 1 x 1b)`);
  } else x = Rational.fromDecimal(xText);
  if (x.sign < 0 || x.compare(new Rational(2n)) > 0)
    throw new OptionError(`"${name}": x = ${x} bridging Cl per trimer is outside 0..2`);

  // Weights of the 0b, 1b, 2b trimers.
  const one = Rational.ONE;
  const w =
    x.compare(one) <= 0
      ? [one.sub(x), x, Rational.ZERO]
      : [Rational.ZERO, new Rational(2n).sub(x), x.sub(one)];
  // Smallest whole numbers: trimer counts (and 1 plasticiser per 3 trimers when P).
  let den = 1n;
  for (const r of w) den = (den * r.den) / gcd(den, r.den);
  let counts = w.map((r) => (r.num * den) / r.den);
  let plasticiser = 0n;
  if (plasticised) {
    const trimers = counts.reduce((a, b) => a + b, 0n);
    // 3 trimers : 1 MAlCl4 -> scale so the trimer total is a multiple of 3.
    const k = 3n / gcd(trimers, 3n);
    counts = counts.map((c) => c * k);
    plasticiser = (trimers * k) / 3n;
  } else {
    let g = 0n;
    for (const c of counts) g = gcd(g, c);
    if (g > 1n) counts = counts.map((c) => c / g);
  }
  const prefix = `${cationLabel(cations)}AOC`;
  const units: MixtureUnit[] = [];
  counts.forEach((c, bridges) => {
    if (c > 0n)
      units.push({
        label: `${prefix}^${bridges}b`,
        formula: trimerFormula(cations, bridges as 0 | 1 | 2),
        count: Number(c),
      });
  });
  if (plasticiser > 0n)
    units.push({
      label: plasticiserFormula(cations).toString(),
      formula: plasticiserFormula(cations),
      count: Number(plasticiser),
    });
  let composition = new Composition([]);
  for (const u of units) composition = composition.add(u.formula.scale(u.count));
  return { name, bridging: x, cations, units, composition, notes };
};
