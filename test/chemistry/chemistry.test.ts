/**
 * Chemistry: LAOC names, the synthesis planner against the study's balanced equations
 * (../shared/SCIENCE.md section 2), and isotope patterns (the ESI-MS anion Al3O2Cl6-).
 */
import { describe, expect, it } from 'vitest';
import { isotopePattern, matchPeaks } from '../../src/chemistry/isotopes.js';
import { parseLaocName } from '../../src/chemistry/laoc-names.js';
import { batchAmounts, planSynthesis, SynthesisError } from '../../src/chemistry/synthesis-planner.js';
import { OptionError } from '../../src/core/errors.js';

const mix = (name: string) => {
  const m = parseLaocName(name);
  return {
    units: m.units.map((u) => `${u.count} ${u.label}`).join(' + '),
    formula: m.composition.toString(),
  };
};

describe('LAOC names', () => {
  it("reads the study's compositions and mixtures", () => {
    expect(mix('LAOC^0b')).toEqual({ units: '1 LAOC^0b', formula: 'Li3Al3O2Cl8' });
    expect(mix('LAOC^1b')).toEqual({ units: '1 LAOC^1b', formula: 'Li2Al3O2Cl7' });
    expect(mix('LAOC^2b')).toEqual({ units: '1 LAOC^2b', formula: 'LiAl3O2Cl6' });
    expect(mix('tetramer').formula).toBe('Li4Al4O3Cl10');
    // SCIENCE.md: LAOC^1.5b = 1:1 of 1b and 2b; LAOC^0.3b = 2/3 0b + 1/3 1b; PLAOC^0.3b adds 1 LiAlCl4 per 3 trimers.
    expect(mix('LAOC^1.5b').units).toBe('1 LAOC^1b + 1 LAOC^2b');
    expect(mix('LAOC^0.3b').units).toBe('2 LAOC^0b + 1 LAOC^1b');
    expect(mix('LAOC^1/3b').units).toBe('2 LAOC^0b + 1 LAOC^1b');
    expect(mix('PLAOC^0.3b')).toEqual({
      units: '2 LAOC^0b + 1 LAOC^1b + 1 LiAlCl4',
      formula: 'Li9Al10O6Cl27',
    });
    expect(mix('LAOC^0.25b').units).toBe('3 LAOC^0b + 1 LAOC^1b');
    expect(mix('NAOC^0.3b').formula).toBe('Na8Al9O6Cl23');
    expect(mix('PNAOC^0.3b').formula).toBe('Na9Al10O6Cl27');
    expect(mix('(Na0.75K0.25)AOC^0.3b').formula).toBe('Na6K2Al9O6Cl23');
    expect(parseLaocName('LAOC^0.3b').notes[0]).toMatch(/study's label for x = 1\/3/);
  });
  it('says what it accepts when it cannot read a name', () => {
    expect(() => parseLaocName('LAOC^2.5b')).toThrow(/outside 0..2/);
    expect(() => parseLaocName('XAOC^1b')).toThrow(/expected a name such as LAOC\^1.5b/);
    expect(() => parseLaocName('(Na0.5K0.25)AOC^1b')).toThrow(/add up to 3\/4, not 1/);
    expect(() => parseLaocName('(Na0.5Mg0.5)AOC^1b')).toThrow(/Mg is not an alkali cation/);
    expect(() => parseLaocName('LAOC')).toThrow(OptionError);
  });
});

describe('synthesis planner', () => {
  it("reproduces the study's balanced equations (SCIENCE.md section 2)", () => {
    expect(planSynthesis('Li2Al4O2Cl10').equation).toBe(
      '6 LiAlCl4 + 5 AlCl3 + AlCl3.6H2O -> 3 Li2Al4O2Cl10 + 12 HCl',
    );
    expect(planSynthesis('PLAOC^0.3b').equation).toBe(
      '9 LiAlCl4 + AlCl3.6H2O -> 2 LAOC^0b + LAOC^1b + LiAlCl4 + 12 HCl',
    );
    expect(planSynthesis('2 LAOC^0b + LAOC^1b + LiAlCl4').equation).toBe(
      '9 LiAlCl4 + AlCl3.6H2O -> 2 LAOC^0b + LAOC^1b + LiAlCl4 + 12 HCl',
    );
  });
  it('balances every element and conserves mass in a batch', () => {
    for (const target of ['LAOC^0b', 'LAOC^1b', 'LAOC^2b', 'LAOC^1.5b', 'PLAOC^1.5b', 'tetramer']) {
      const plan = planSynthesis(target);
      const left = plan.reactants.reduce(
        (c, r) => c.add(r.formula.scale(r.count)),
        plan.target.formula.scale(0),
      );
      const right = plan.byproducts.reduce(
        (c, r) => c.add(r.formula.scale(r.count)),
        plan.target.formula.scale(plan.target.count),
      );
      expect(left.equals(right), `${target}: ${plan.equation}`).toBe(true);
      const b = batchAmounts(plan, 1);
      const inGrams = b.reactants.reduce((s, r) => s + r.grams, 0);
      const outGrams = 1 + b.byproducts.reduce((s, r) => s + r.grams, 0);
      expect(Math.abs(inGrams - outGrams)).toBeLessThan(1e-12);
    }
  });
  it('batch masses: 1 g of PLAOC^0.3b needs 9 x 175.72 g/mol LiAlCl4 per 1385.42 g/mol of product', () => {
    const b = batchAmounts(planSynthesis('PLAOC^0.3b'), 1);
    // By hand with IUPAC 2016 conventional weights (Li 6.94, Al 26.9815385, O 15.999, Cl 35.45):
    // M(LiAlCl4) = 175.7215, M(Li9Al10O6Cl27) = 1385.4195.
    expect(b.reactants[0].grams).toBeCloseTo((9 * 175.7215) / 1385.4195, 4);
  });
  it('says why a target cannot be made', () => {
    expect(() => planSynthesis('NAOC^0b')).toThrow(/no reactant supplies Na/);
    expect(() => planSynthesis('NAOC^0b')).toThrow(SynthesisError);
    // Every Li of LiAlCl4 must end somewhere, and AlCl3 has none: no non-negative balance.
    expect(() => planSynthesis('AlCl3', { reactants: ['LiAlCl4'] })).toThrow(
      /no solution with non-negative amounts/,
    );
    expect(() => planSynthesis('LAOC^0b', { reactants: ['LiCl', 'Xq2'] })).toThrow(
      /cannot read the formula "Xq2"/,
    );
    expect(planSynthesis('NAOC^0b', { reactants: ['NaCl', 'NaAlCl4', 'AlCl3', 'AlCl3.6H2O'] }).equation).toBe(
      'NaCl + 8 NaAlCl4 + AlCl3.6H2O -> 3 NAOC^0b + 12 HCl',
    );
  });
});

describe('isotope patterns', () => {
  it("Al3O2Cl6-: the Cl-35/Cl-37 envelope at 322.7, 324.7, 326.7, 328.7 matches the study's ESI peaks", () => {
    const p = isotopePattern('Al3O2Cl6-');
    // Monoisotopic m/z by hand: 3 x 26.98153841 (27Al) + 2 x 15.99491462 (16O) + 6 x 34.96885268 (35Cl)
    // + 0.00054858 (electron) = 322.74812 (atomic masses: AME2016 / IUPAC; electron: CODATA 2018).
    expect(p[0].mz).toBeCloseTo(322.74812, 2);
    // Relative heights from the binomial 35Cl/37Cl (0.7576/0.2424) for k = 0..3 heavy Cl: 52.1, 100, 80.0,
    // 34.1 (O isotopes add a little to the +2 steps).
    expect(p.slice(0, 4).map((x) => Math.round(x.relative))).toEqual([52, 100, 80, 34]);
    const m = matchPeaks(p, [322.8, 324.8, 326.8, 328.8]);
    expect(m.allMatched).toBe(true);
    expect(m.unexplained).toEqual([]);
    expect(matchPeaks(p, [322.8, 324.8]).allMatched).toBe(false);
  });
  it('takes the charge into account (m/z = mass / |z|)', () => {
    const one = isotopePattern('Cl2-')[0].mz;
    const two = isotopePattern('Cl2^2-')[0].mz;
    expect(two).toBeCloseTo((one + 0.00054858) / 2, 4);
  });
  it('rejects fractional and empty formulas', () => {
    expect(() => isotopePattern('Na0.5Cl')).toThrow(/whole numbers/);
  });
});
