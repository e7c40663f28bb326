import { describe, expect, it } from 'vitest';
import { AngleAccumulator, bondAngles } from '../../../src/analysis/structure/angles.js';
import { buildOligomer } from '../../../src/builders/oligomer.js';
import { OligolyteError, OptionError } from '../../../src/core/errors.js';
import type { Structure } from '../../../src/core/frame.js';
import { Lattice } from '../../../src/core/lattice.js';
import { Topology } from '../../../src/core/topology.js';

const TET = Math.acos(-1 / 3) * (180 / Math.PI);

/** AlCl4- tetrahedron (Al-Cl 2.13 A) centred at c. */
const alcl4 = (c: number[]): { symbols: string[]; positions: number[] } => {
  const s = 2.13 / Math.sqrt(3);
  const v = [
    [1, 1, 1],
    [1, -1, -1],
    [-1, 1, -1],
    [-1, -1, 1],
  ];
  return {
    symbols: ['Al', 'Cl', 'Cl', 'Cl', 'Cl'],
    positions: [...c, ...v.flatMap((x) => x.map((y, k) => c[k] + s * y))],
  };
};

describe('bond angles', () => {
  it('a tetrahedron: six Cl-Al-Cl angles of 109.47 deg, also across the cell boundary', () => {
    for (const centre of [
      [5, 5, 5],
      [0.3, 9.8, 0.1],
    ]) {
      const m = alcl4(centre);
      const s: Structure = {
        topology: new Topology({ symbols: m.symbols }),
        frame: { positions: Float64Array.from(m.positions), lattice: Lattice.cubic(10) },
      };
      const res = bondAngles([s], { triples: ['Cl-Al-Cl'], bins: 360 });
      const d = res.distributions[0];
      expect(d.count).toBe(6);
      expect(d.anglesPerVertex).toBe(6);
      expect(d.meanDeg).toBeCloseTo(TET, 9);
      expect(d.sdDeg).toBeLessThan(1e-6);
      expect(Math.abs(d.modeDeg - TET)).toBeLessThan(0.25);
      let integral = 0;
      for (const p of d.densityPerDeg) integral += p * res.binWidthDeg;
      expect(integral).toBeCloseTo(1, 12);
    }
  });

  it('an LAOC^0b trimer: the default triples, from cut-offs and from bonds alike', () => {
    const m = buildOligomer({ length: 3, alOAl: 135 });
    const s: Structure = {
      topology: new Topology({ symbols: m.symbols, bonds: Uint32Array.from(m.bonds.flat()) }),
      frame: { positions: m.positions },
    };
    const byCut = bondAngles([s]);
    const byBond = bondAngles([s], { neighbours: 'bonds' });
    expect(byCut.distributions.map((d) => d.name)).toEqual(['O-Al-O', 'Cl-Al-Cl', 'Al-O-Al']);
    for (const [k, d] of byCut.distributions.entries()) {
      expect(d.count).toBe(byBond.distributions[k].count);
      expect(d.meanDeg).toBeCloseTo(byBond.distributions[k].meanDeg, 9);
    }
    const [oalo, clalcl, aloal] = byCut.distributions;
    expect(aloal.count).toBe(2);
    expect(aloal.meanDeg).toBeCloseTo(135, 6);
    expect(oalo.count).toBe(1);
    // 2 terminal Al with 3 Cl (3 angles each) + the middle Al with 2 Cl (1 angle).
    expect(clalcl.count).toBe(7);
    expect(Math.abs(clalcl.meanDeg - 109.5)).toBeLessThan(6);
  });

  it('A != C: every (A, C) pair around the vertex', () => {
    const m = buildOligomer({ length: 3 });
    const s: Structure = {
      topology: new Topology({ symbols: m.symbols }),
      frame: { positions: m.positions },
    };
    const d = bondAngles([s], { triples: ['O-Al-Cl'] }).distributions[0];
    // End Al: 1 O x 3 Cl; middle Al: 2 O x 2 Cl.
    expect(d.count).toBe(3 + 3 + 4);
  });

  it('bad input: no cut-off for a pair, absent elements, bonds missing, bad triples, atom count', () => {
    const m = alcl4([5, 5, 5]);
    const s: Structure = {
      topology: new Topology({ symbols: m.symbols }),
      frame: { positions: Float64Array.from(m.positions), lattice: Lattice.cubic(10) },
    };
    expect(() => bondAngles([s], { triples: ['Cl-Cl-Cl'] })).toThrow(
      /no cut-off for Cl-Cl \(triple Cl-Cl-Cl\)/,
    );
    expect(() => bondAngles([s], { triples: ['Cl-Cl-Cl'] })).toThrow(OptionError);
    expect(
      bondAngles([s], { triples: ['Cl-Cl-Cl'], cutoffsA: { 'Cl-Cl': 3.6 } }).distributions[0].count,
    ).toBe(12);
    expect(() => bondAngles([s], { triples: ['O-Al-O'] })).toThrow(/no O atoms in the trajectory for O-Al-O/);
    expect(() => bondAngles([s], { triples: ['O-Al-O'] })).toThrow(OligolyteError);
    expect(() => bondAngles([s], { triples: ['Cl-Al-Cl'], neighbours: 'bonds' })).toThrow(/need bonds/);
    expect(() => bondAngles([s], { triples: ['OAlO'] })).toThrow(/not a triple/);
    expect(() => bondAngles([s], { cutoffsA: { 'Al-Cl': -1 } })).toThrow(/positive/);
    const acc = new AngleAccumulator(s.topology, { triples: ['Cl-Al-Cl'] });
    acc.push(s.frame);
    expect(() => acc.push({ positions: new Float64Array(9) })).toThrow(/frame 2 has 3 atoms/);
  });
});
