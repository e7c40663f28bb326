import { describe, expect, it } from 'vitest';
import {
  atomicNumber,
  atomicWeight,
  ELEMENT_SYMBOLS,
  elementFromMass,
  normaliseElementLabel,
} from '../../src/core/elements.js';
import { Topology } from '../../src/core/topology.js';

describe('periodic table', () => {
  it('covers Z = 1..118 with IUPAC 2016 weights', () => {
    expect(ELEMENT_SYMBOLS.length).toBe(119);
    expect(atomicNumber('Og')).toBe(118);
    expect(atomicWeight('Li')).toBe(6.94);
    expect(atomicWeight('Cl')).toBe(35.45);
    expect(atomicWeight('Al')).toBe(26.9815385);
    expect(() => atomicWeight('Qq')).toThrow(RangeError);
  });
  it('normalises labels from files', () => {
    expect(normaliseElementLabel('Cl1')).toBe('Cl');
    expect(normaliseElementLabel('LI')).toBe('Li');
    expect(normaliseElementLabel('Li_sv/6a1b')).toBe('Li');
    expect(normaliseElementLabel('O2-')).toBe('O');
    expect(normaliseElementLabel('123')).toBeUndefined();
  });
  it('types atoms from masses', () => {
    expect(elementFromMass(6.941)).toBe('Li');
    expect(elementFromMass(35.453)).toBe('Cl');
    expect(elementFromMass(50.5)).toBeUndefined();
  });
  it('stores species as indices with standard masses', () => {
    const t = new Topology({ symbols: ['Li', 'Cl', 'Li'] });
    expect(t.elements).toEqual(['Li', 'Cl']);
    expect(Array.from(t.speciesIndex)).toEqual([0, 1, 0]);
    expect(Array.from(t.indicesOf('Li'))).toEqual([0, 2]);
    expect(t.totalMass()).toBeCloseTo(2 * 6.94 + 35.45, 12);
    expect(() => new Topology({ symbols: ['Li', 'Zz'] })).toThrow(/atom 2: unknown element/);
  });
});
