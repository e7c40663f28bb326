import { Composition } from '../core/composition.js';
import { OligolyteError, OptionError } from '../core/errors.js';
import { type NamedMixture, parseLaocName } from './laoc-names.js';
import { Rational, smallestIntegers } from './rational.js';

/**
 * Synthesis planner: the element balance
 *   sum_i r_i R_i  ->  n T + sum_j h_j B_j,   r, h >= 0, n >= 1,
 * for a target T, reactants R (default LiCl, LiAlCl4, AlCl3, AlCl3.6H2O) and by-products B that
 * leave (default HCl), in the smallest whole numbers. When several balances exist (LiCl + AlCl3
 * can stand in for LiAlCl4), the one with the fewest reactant formula units is chosen: it is a
 * vertex of the polytope of solutions, found exactly by trying every basis of the balance matrix
 * in rational arithmetic. This reproduces the study's equations (SCIENCE.md section 2), e.g.
 *   6 LiAlCl4 + 5 AlCl3 + AlCl3.6H2O -> 3 Li2Al4O2Cl10 + 12 HCl.
 */
export const DEFAULT_REACTANTS = ['LiCl', 'LiAlCl4', 'AlCl3', 'AlCl3.6H2O'];
export const DEFAULT_BYPRODUCTS = ['HCl'];

/** The target cannot be made from the given reactants (a chemistry answer, not a usage error). */
export class SynthesisError extends OligolyteError {
  override name = 'SynthesisError';
}

export interface PlanTerm {
  label: string;
  formula: Composition;
  /** Whole-number coefficient in the balanced equation. */
  count: number;
}

export interface SynthesisPlan {
  target: { label: string; formula: Composition; count: number; units?: PlanTerm[] };
  reactants: PlanTerm[];
  byproducts: PlanTerm[];
  /** The balanced equation as text. */
  equation: string;
  notes: string[];
}

export interface PlanOptions {
  reactants?: string[];
  byproducts?: string[];
}

/** A target: a LAOC-family name, a formula, or a sum of them ("2 LAOC^0b + LiAlCl4"). */
export const parseTarget = (
  text: string,
): { label: string; formula: Composition; units?: PlanTerm[]; notes: string[] } => {
  const terms = text.split(/\s+\+\s+/).map((t) => t.trim());
  if (terms.some((t) => t === '')) throw new OptionError(`cannot read the target "${text}"`);
  const units: PlanTerm[] = [];
  const notes: string[] = [];
  for (const term of terms) {
    const m = /^(\d+)\s+(.+)$/.exec(term);
    const k = m ? Number(m[1]) : 1;
    const body = m ? m[2] : term;
    let mixture: NamedMixture | undefined;
    try {
      mixture = parseLaocName(body);
    } catch (e) {
      if (/AOC|tetramer/i.test(body)) throw e;
    }
    if (mixture) {
      notes.push(...mixture.notes);
      for (const u of mixture.units) units.push({ ...u, count: u.count * k });
    } else {
      let formula: Composition;
      try {
        formula = Composition.parse(body);
      } catch (e) {
        throw new OptionError(`cannot read "${body}" as a LAOC name or a formula: ${(e as Error).message}`);
      }
      units.push({ label: body, formula, count: k });
    }
  }
  let formula = new Composition([]);
  for (const u of units) formula = formula.add(u.formula.scale(u.count));
  return { label: text.trim(), formula, units, notes };
};

/** Exact amounts of each element of a composition (fractional cation mixtures allowed). */
const exactAmounts = (c: Composition): Map<string, Rational> =>
  new Map([...c.amounts].map(([e, n]) => [e, Rational.fromDecimal(+n.toPrecision(12))]));

/** Solve A x = b exactly (A: rows x k, independent columns); null when inconsistent. */
const solveExact = (A: Rational[][], b: Rational[]): Rational[] | null => {
  const rows = A.length;
  const k = A[0]?.length ?? 0;
  const M = A.map((row, i) => [...row, b[i]]);
  let r = 0;
  const pivots: number[] = [];
  for (let c = 0; c < k && r < rows; c++) {
    let p = r;
    while (p < rows && M[p][c].isZero) p++;
    if (p === rows) return null; // dependent columns: not a basis
    [M[r], M[p]] = [M[p], M[r]];
    const inv = Rational.ONE.div(M[r][c]);
    M[r] = M[r].map((v) => v.mul(inv));
    for (let i = 0; i < rows; i++)
      if (i !== r && !M[i][c].isZero) {
        const f = M[i][c];
        M[i] = M[i].map((v, j) => v.sub(f.mul(M[r][j])));
      }
    pivots.push(c);
    r++;
  }
  if (pivots.length < k) return null;
  for (let i = r; i < rows; i++) if (!M[i][k].isZero) return null; // the target is not reached
  return pivots.map((_, i) => M[i][k]);
};

/** k-element subsets of 0..n-1, in lexicographic order. */
function* subsets(n: number, k: number, start = 0, prefix: number[] = []): Generator<number[]> {
  if (prefix.length === k) {
    yield prefix;
    return;
  }
  for (let i = start; i <= n - (k - prefix.length); i++) yield* subsets(n, k, i + 1, [...prefix, i]);
}

export const planSynthesis = (targetText: string, options: PlanOptions = {}): SynthesisPlan => {
  const target = parseTarget(targetText);
  const reactantLabels = options.reactants ?? DEFAULT_REACTANTS;
  const byproductLabels = options.byproducts ?? DEFAULT_BYPRODUCTS;
  if (reactantLabels.length === 0) throw new OptionError('no reactants given');
  const parse = (label: string) => {
    try {
      return Composition.parse(label);
    } catch (e) {
      throw new OptionError(`cannot read the formula "${label}": ${(e as Error).message}`);
    }
  };
  const species = [
    ...reactantLabels.map((label) => ({ label, formula: parse(label), sign: 1 })),
    ...byproductLabels.map((label) => ({ label, formula: parse(label), sign: -1 })),
  ];
  const t = exactAmounts(target.formula);
  const elements = [...new Set([...t.keys(), ...species.flatMap((s) => [...s.formula.amounts.keys()])])];
  for (const [e, n] of t)
    if (n.sign > 0 && !species.some((s) => s.sign > 0 && s.formula.get(e) > 0))
      throw new SynthesisError(
        `${target.label} cannot be made from ${reactantLabels.join(', ')}: no reactant supplies ${e}`,
      );
  const columns = species.map((s) => {
    const a = exactAmounts(s.formula);
    return elements.map((e) => (a.get(e) ?? Rational.ZERO).mul(Rational.of(s.sign)));
  });
  const b = elements.map((e) => t.get(e) ?? Rational.ZERO);

  let best: { x: Rational[]; cost: Rational } | undefined;
  const maxK = Math.min(elements.length, species.length);
  for (let k = 1; k <= maxK; k++)
    for (const basis of subsets(species.length, k)) {
      const A = elements.map((_, row) => basis.map((c) => columns[c][row]));
      const xb = solveExact(A, b);
      if (!xb || xb.some((v) => v.sign < 0)) continue;
      const x = species.map(() => Rational.ZERO);
      basis.forEach((c, i) => {
        x[c] = xb[i];
      });
      let cost = Rational.ZERO;
      species.forEach((s, i) => {
        if (s.sign > 0) cost = cost.add(x[i]);
      });
      if (!best || cost.compare(best.cost) < 0) best = { x, cost };
    }
  if (!best)
    throw new SynthesisError(
      `${target.label} (${target.formula}) cannot be made from ${reactantLabels.join(', ')} with ${byproductLabels.join(', ') || 'no'} leaving: the element balance has no solution with non-negative amounts`,
    );
  const ints = smallestIntegers([Rational.ONE, ...best.x]);
  const n = Number(ints[0]);
  const term = (s: (typeof species)[number], i: number): PlanTerm => ({
    label: s.label,
    formula: s.formula,
    count: Number(ints[i + 1]),
  });
  const reactants = species.map(term).filter((x, i) => species[i].sign > 0 && x.count > 0);
  const byproducts = species.map(term).filter((x, i) => species[i].sign < 0 && x.count > 0);
  const units = target.units?.map((u) => ({ ...u, count: u.count * n }));
  const side = (terms: PlanTerm[]) =>
    terms.map((x) => (x.count === 1 ? x.label : `${x.count} ${x.label}`)).join(' + ');
  const productSide = units && units.length > 1 ? side(units) : side([{ ...target, count: n }]);
  return {
    target: { label: target.label, formula: target.formula, count: n, units },
    reactants,
    byproducts,
    equation: `${side(reactants)} -> ${productSide}${byproducts.length ? ` + ${side(byproducts)}` : ''}`,
    notes: target.notes,
  };
};

export interface BatchAmounts {
  /** Grams of target product (the left-hand formula units times n). */
  productGrams: number;
  reactants: { label: string; grams: number; millimoles: number }[];
  byproducts: { label: string; grams: number; millimoles: number }[];
}

/**
 * The batch masses the planner takes (g): from 1 ug (below, the masses are beyond any balance) to
 * 1e9 g (1000 t; far beyond, the amounts overflow: 1e308 g printed "Infinity mmol").
 */
export const BATCH_RANGE_G = [1e-6, 1e9] as const;

/** Reactant masses for a batch of `productGrams` of the target (molar masses from standard atomic weights). */
export const batchAmounts = (plan: SynthesisPlan, productGrams: number): BatchAmounts => {
  if (!(productGrams > 0)) throw new OptionError(`the batch mass must be positive, got ${productGrams} g`);
  if (!(productGrams >= BATCH_RANGE_G[0] && productGrams <= BATCH_RANGE_G[1]))
    throw new OptionError(
      `\`productGrams\` ${productGrams} g is not a batch: give between ${BATCH_RANGE_G[0]} g (1 ug) and ${BATCH_RANGE_G[1]} g (1000 t)`,
      { option: 'productGrams' },
    );
  // Extent of reaction (mol): the target mass is n x M(target) per extent.
  const extent = productGrams / (plan.target.count * plan.target.formula.molarMass);
  const amount = (t: PlanTerm) => ({
    label: t.label,
    grams: t.count * extent * t.formula.molarMass,
    millimoles: t.count * extent * 1000,
  });
  return { productGrams, reactants: plan.reactants.map(amount), byproducts: plan.byproducts.map(amount) };
};
