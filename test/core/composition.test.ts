import { describe, expect, it } from 'vitest';
import { Composition } from '../../src/core/composition.js';
import { OptionError } from '../../src/core/errors.js';

describe('Composition.parse', () => {
  it('parses plain formulas', () => {
    const c = Composition.parse('Li3Al3O2Cl8');
    expect([...c.amounts]).toEqual([
      ['Li', 3],
      ['Al', 3],
      ['O', 2],
      ['Cl', 8],
    ]);
    expect(c.atomCount).toBe(16);
    // 3 x 6.94 + 3 x 26.9815385 + 2 x 15.999 + 8 x 35.45 (IUPAC 2016 abridged weights)
    expect(c.molarMass).toBeCloseTo(3 * 6.94 + 3 * 26.9815385 + 2 * 15.999 + 8 * 35.45, 10);
  });
  it('parses hydrates with ".", "·" and "*"', () => {
    for (const f of ['AlCl3.6H2O', 'AlCl3·6H2O', 'AlCl3*6H2O']) {
      const c = Composition.parse(f);
      expect(Object.fromEntries(c.amounts)).toEqual({ Al: 1, Cl: 3, H: 12, O: 6 });
    }
  });
  it('keeps decimal counts', () => {
    expect(Object.fromEntries(Composition.parse('Na0.75K0.25AlCl4').amounts)).toEqual({
      Na: 0.75,
      K: 0.25,
      Al: 1,
      Cl: 4,
    });
    expect(Composition.parse('Li1.3Al0.3Ti1.7(PO4)3').get('O')).toBe(12);
  });
  it('parses parentheses and brackets', () => {
    expect(Object.fromEntries(Composition.parse('Ca(OH)2').amounts)).toEqual({ Ca: 1, O: 2, H: 2 });
    expect(Composition.parse('[Al3O2Cl8]3-').charge).toBe(-3);
    expect(Composition.parse('Mg3(Si2O5)2(OH)2').get('O')).toBe(12);
  });
  it('parses charges', () => {
    expect(Composition.parse('Al3O2Cl6-').charge).toBe(-1);
    expect(Composition.parse('SO4^2-').charge).toBe(-2);
    expect(Composition.parse('Fe+3').charge).toBe(3);
    expect(Composition.parse('Li+').charge).toBe(1);
    expect(Composition.parse('Al3O2Cl6-').toString()).toBe('Al3O2Cl6-');
  });
  it('rejects bad formulas with the column', () => {
    expect(() => Composition.parse('Li3Xx2')).toThrow(/column 4/);
    expect(() => Composition.parse('Li3(Al')).toThrow(OptionError);
    expect(() => Composition.parse('')).toThrow(OptionError);
    expect(() => Composition.parse('li3')).toThrow(/column 1/);
  });
});
