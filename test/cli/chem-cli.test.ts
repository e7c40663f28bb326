import { describe, expect, it } from 'vitest';
import { cli } from '../helpers.js';

describe('oligolyte chem', () => {
  it('plan: the balanced equation and the masses for a batch', () => {
    const r = cli('chem', 'plan', 'PLAOC^0.3b', '--batch', '1g');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/9 LiAlCl4 \+ AlCl3\.6H2O -> 2 LAOC\^0b \+ LAOC\^1b \+ LiAlCl4 \+ 12 HCl/);
    expect(r.out).toMatch(/LiAlCl4\s+1\.1415 g/);
    const j = JSON.parse(cli('chem', 'plan', 'LAOC^1.5b', '--batch', '250mg', '--json').out);
    expect(j.targetFormula).toBe('Li3Al6O4Cl13');
    expect(j.productGrams).toBe(0.25);
    expect(j.reactants.map((x: { formula: string }) => x.formula)).toEqual([
      'LiAlCl4',
      'AlCl3',
      'AlCl3.6H2O',
    ]);
  });
  it('plan: an impossible target exits 1 with the reason; a bad mass exits 2', () => {
    const r = cli('chem', 'plan', 'NAOC^0b');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no reactant supplies Na/);
    const m = cli('chem', 'plan', 'LAOC^0b', '--batch', 'lots');
    expect(m.code).toBe(2);
    expect(m.err).toMatch(/--batch: "lots" is not a mass/);
  });
  it('isotopes: the pattern, matched against observed peaks', () => {
    const r = cli('chem', 'isotopes', 'Al3O2Cl6-', '--observed', '322.8,324.8,326.8,328.8');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/322\.748\s+52\.0\s+observed 322\.8/);
    expect(r.out).toMatch(/every peak above 10 % is observed/);
    const j = JSON.parse(cli('chem', 'isotopes', 'AlCl4-', '--json').out);
    expect(j.pattern[0].mz).toBeCloseTo(166.8575, 3); // 26.98154 + 4 x 34.96885 + electron
  });
});
