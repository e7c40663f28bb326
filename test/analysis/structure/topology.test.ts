import { describe, expect, it } from 'vitest';
import { forEachNeighbourBruteForce } from '../../../src/analysis/structure/neighbours.js';
import {
  BondedTopologyAccumulator,
  bondedTopology,
  bondedUnits,
  bondsByDistance,
  IntactnessCheck,
} from '../../../src/analysis/structure/topology.js';
import {
  buildBridgedPair,
  buildOligomer,
  buildTetrachloroaluminate,
  type Molecule,
} from '../../../src/builders/oligomer.js';
import { packGlass } from '../../../src/builders/pack-glass.js';
import { OptionError } from '../../../src/core/errors.js';
import type { Frame } from '../../../src/core/frame.js';
import { Lattice } from '../../../src/core/lattice.js';
import { SeededRandom } from '../../../src/core/random.js';
import { Topology } from '../../../src/core/topology.js';

/** Molecules side by side at the given offsets (A), in one topology, with Li added to neutralise. */
const assemble = (parts: { m: Molecule; at: [number, number, number] }[], li = 0) => {
  const symbols: string[] = [];
  const pos: number[] = [];
  for (const { m, at } of parts) {
    symbols.push(...m.symbols);
    for (let i = 0; i < m.symbols.length; i++)
      for (let c = 0; c < 3; c++) pos.push(m.positions[3 * i + c] + at[c]);
  }
  for (let k = 0; k < li; k++) {
    symbols.push('Li');
    pos.push(1 + 2 * k, 25, 25);
  }
  return { topology: new Topology({ symbols }), positions: Float64Array.from(pos) };
};

describe('bonded topology', () => {
  it('a packed glass of 8 trimers and 2 AlCl4-: 8 intact oligomers, 2 AlCl4-, no bridging or free Cl; intact under vibration', () => {
    const s = packGlass({
      units: [
        { molecule: buildOligomer(), count: 8 },
        { molecule: buildTetrachloroaluminate(), count: 2 },
      ],
      seed: 3,
    });
    const rng = new SeededRandom(4);
    const frames: Frame[] = Array.from({ length: 20 }, () => ({
      positions: s.frame.positions.map((x) => x + 0.08 * (rng.uniform() - 0.5)),
      lattice: s.frame.lattice,
    }));
    const r = bondedTopology(s.topology, frames);
    expect(r.frames).toBe(20);
    expect(r.oligomers).toHaveLength(8);
    expect(r.oligomers.every((o) => o.formula === 'Al3O2Cl8')).toBe(true);
    // 8 x (4 Al-O + 8 Al-Cl) + 2 x 4 Al-Cl
    expect(r.bondsFirst).toBe(8 * 12 + 8);
    for (let k = 0; k < 20; k++) {
      expect(r.census.intact[k]).toBe(8);
      expect(r.census.oligomers[k]).toBe(8);
      expect(r.census.startingComposition[k]).toBe(8);
      expect(r.census.tetrachloro[k]).toBe(2);
      expect(r.census.bridgingCl[k]).toBe(0);
      expect(r.census.freeCl[k]).toBe(0);
      expect(r.census.polymerised[k]).toBe(0);
      expect(r.census.largestCentre[k]).toBe(3);
      expect(r.census.units[k]).toBe(10);
    }
    expect(r.eventCount).toBe(0);
    expect(r.verdict.intact).toBe(true);
    expect(r.verdict.text).toBe('all 8 oligomers intact over 20 frames (0 bond events)');
    expect(r.unitKinds.map((u) => [u.formula, u.meanCount])).toEqual([
      ['Al3O2Cl8', 8],
      ['AlCl4', 2],
    ]);
  });

  it('a terminal Cl pulled away: broken only beyond cut-off + hysteresis, made again only within the cut-off', () => {
    const m = buildOligomer();
    const { topology, positions } = assemble([{ m, at: [20, 20, 20] }], 3);
    const lattice = Lattice.cubic(50);
    const cl = m.roles.indexOf('Cl_terminal');
    const al = m.bonds.find((b) => b.includes(cl))!.find((i) => i !== cl)!;
    const u = [0, 1, 2].map((c) => positions[3 * cl + c] - positions[3 * al + c]);
    const r0 = Math.hypot(u[0], u[1], u[2]);
    // Al-Cl distances over the frames: 2.13 -> 2.8 (kept: 2.8 <= 2.9) -> 3.0 (broken) -> 2.7 (not made: > 2.6) -> 2.5 (made)
    const lengths = [r0, 2.5, 2.8, 3.0, 3.2, 2.7, 2.5, 2.2];
    const frames: Frame[] = lengths.map((r, k) => {
      const p = positions.slice();
      for (let c = 0; c < 3; c++) p[3 * cl + c] = positions[3 * al + c] + (u[c] * r) / r0;
      return { positions: p, lattice, timeFs: 100 * k };
    });
    const r = bondedTopology(topology, frames);
    expect(r.events.map((e) => [e.frame, e.kind, e.pair, e.i, e.j])).toEqual([
      [3, 'broken', 'Al-Cl', Math.min(al, cl), Math.max(al, cl)],
      [6, 'made', 'Al-Cl', Math.min(al, cl), Math.max(al, cl)],
    ]);
    expect(r.events[0].distanceA).toBeCloseTo(3.0, 10);
    expect(r.events[0].timeFs).toBe(300);
    expect(r.events[0].oligomerI).toBe(0);
    expect(Array.from(r.census.freeCl)).toEqual([0, 0, 0, 1, 1, 1, 0, 0]);
    expect(Array.from(r.census.intact)).toEqual([1, 1, 1, 0, 0, 0, 1, 1]);
    expect(r.verdict.intact).toBe(false);
    expect(r.verdict.firstBrokenFrame).toBe(3);
    expect(r.verdict.firstEvent).toEqual(r.events[0]);
    expect(r.verdict.text).toBe(
      `not intact: first in frame 3 at 0.3 ps: Al-Cl bond ${Math.min(al, cl) + 1}-${Math.max(al, cl) + 1} broken at 3.000 A; 1 of 1 oligomers broken at some point, 2 bond events`,
    );
    expect(r.unitKinds.find((k) => k.formula === 'Al3O2Cl7')?.framesPresent).toBe(3);
  });

  it('a Cl of one trimer bridging to the Al of another: one polymerised unit, one bridging Cl, neither intact', () => {
    // buildBridgedPair: trimer A (one end Cl removed) healed by a terminal Cl of trimer B. Frame 0
    // has B 15 A away; frame 1 as built.
    const pair = buildBridgedPair({ seed: 3 });
    const { topology, positions } = assemble([{ m: pair, at: [20, 20, 20] }]);
    const lattice = Lattice.cubic(60);
    const nA = 3 + 2 + 7;
    const apart = positions.slice();
    for (let i = nA; i < topology.natoms; i++) apart[3 * i] += 15;
    const r = bondedTopology(topology, [
      { positions: apart, lattice },
      { positions, lattice },
    ]);
    expect(r.oligomers.map((o) => o.formula)).toEqual(['Al3O2Cl7', 'Al3O2Cl8']);
    expect(Array.from(r.census.intact)).toEqual([2, 0]);
    expect(Array.from(r.census.polymerised)).toEqual([0, 1]);
    expect(r.census.largestCentre[1]).toBe(6);
    expect(Array.from(r.census.bridgingCl)).toEqual([0, 1]);
    expect(r.census.bridgingClPerOligomer[1]).toBe(1);
    expect(r.census.oligomers[1]).toBe(1);
    expect(r.events).toHaveLength(1);
    expect(r.events[0].kind).toBe('made');
    expect(r.events[0].distanceA).toBeCloseTo(2.25, 10);
    expect([r.events[0].oligomerI, r.events[0].oligomerJ].sort()).toEqual([0, 1]);
    expect(r.unitKinds[0].formula).toBe('Al6O4Cl15');
    expect(r.verdict.text).toMatch(
      /^not intact: first in frame 1: Al-Cl bond \d+-\d+ made at 2.250 A; 2 of 2 oligomers/,
    );
  });

  it('bonds across the periodic boundary and in a triclinic cell equal the brute-force nearest images', () => {
    const s = packGlass({
      units: [{ molecule: buildOligomer(), count: 4 }],
      shape: { ratios: [1, 1.2, 0.9], angles: [80, 100, 70] },
      seed: 5,
    });
    const { bonds, distancesA } = bondsByDistance(s.topology, s.frame);
    const ref = new Map<string, number>();
    const el = (i: number) => s.topology.symbol(i);
    forEachNeighbourBruteForce(
      { positions: s.frame.positions, lattice: s.frame.lattice, cutoff: 2.6 },
      (i, j, r2) => {
        if (i >= j) return;
        const pair = [el(i), el(j)].sort().join('-');
        const cut = pair === 'Al-O' ? 2.1 : pair === 'Al-Cl' ? 2.6 : 0;
        if (r2 <= cut * cut) {
          const key = `${i}-${j}`;
          ref.set(key, Math.min(ref.get(key) ?? Infinity, Math.sqrt(r2)));
        }
      },
    );
    expect(bonds.length / 2).toBe(ref.size);
    expect(ref.size).toBe(4 * 12);
    for (let b = 0; b < distancesA.length; b++)
      expect(distancesA[b]).toBeCloseTo(ref.get(`${bonds[2 * b]}-${bonds[2 * b + 1]}`)!, 12);
  });

  it('bondedUnits labels each component by its smallest atom', () => {
    const label = bondedUnits(7, [0, 1, 2, 3, 4, 6], [4, 1, 1, 3, 6, 2]);
    expect(Array.from(label)).toEqual([0, 1, 2, 1, 1, -1, 2]);
  });

  it('names a missing element, a bad pair and a negative hysteresis', () => {
    const t = new Topology({ symbols: ['Li', 'Cl'] });
    expect(() => new BondedTopologyAccumulator(t)).toThrow(/no Al atoms in the run \(it has Li, Cl\)/);
    const t2 = new Topology({ symbols: ['Al', 'Li'] });
    expect(() => new BondedTopologyAccumulator(t2)).toThrow(
      /none of the atoms the bond cut-offs pair with Al/,
    );
    const t3 = new Topology({ symbols: ['Al', 'Cl'] });
    expect(() => new BondedTopologyAccumulator(t3, { bondCutoffsA: { AlO: 2 } })).toThrow(OptionError);
    expect(() => new BondedTopologyAccumulator(t3, { hysteresisA: -1 })).toThrow(/hysteresisA/);
    const acc = new BondedTopologyAccumulator(t3);
    expect(() => acc.push({ positions: new Float64Array(9) })).toThrow(/3 atoms; the run started with 2/);
  });
});

describe('the calibration intactness check', () => {
  const m = buildOligomer();
  const { topology, positions } = assemble([{ m, at: [10, 10, 10] }], 3);
  const bonds = m.bonds.flat();
  const rest = m.bonds.map(([i, j]) =>
    Math.hypot(...[0, 1, 2].map((c) => positions[3 * i + c] - positions[3 * j + c])),
  );
  const lattice = Lattice.cubic(40);
  it('a built trimer is intact; a stretched bond and a foreign Cl are reported', () => {
    const check = new IntactnessCheck(topology, { bonds, restLengthsA: rest });
    check.push({ positions, lattice });
    let r = check.result();
    expect(r.intact).toBe(true);
    expect(r.worstBondStrain).toBeLessThan(1e-12);
    // The closest non-bonded O/Cl to an Al in the built trimer (brute force).
    let closest = Infinity;
    const bonded = new Set(m.bonds.map(([i, j]) => `${Math.min(i, j)}-${Math.max(i, j)}`));
    for (let i = 0; i < m.symbols.length; i++)
      for (let j = 0; j < m.symbols.length; j++)
        if (
          m.symbols[i] === 'Al' &&
          m.symbols[j] !== 'Al' &&
          !bonded.has(`${Math.min(i, j)}-${Math.max(i, j)}`)
        )
          closest = Math.min(
            closest,
            Math.hypot(...[0, 1, 2].map((c) => positions[3 * i + c] - positions[3 * j + c])),
          );
    expect(r.closestForeignA).toBeCloseTo(closest, 12);
    // Stretch the first bond by 30 %.
    const [i, j] = m.bonds[0];
    const p = positions.slice();
    for (let c = 0; c < 3; c++)
      p[3 * j + c] = p[3 * i + c] + 1.3 * (positions[3 * j + c] - positions[3 * i + c]);
    check.push({ positions: p, lattice });
    r = check.result();
    expect(r.worstBondStrain).toBeCloseTo(0.3, 10);
    expect(r.intact).toBe(false);
    expect(r.frames).toBe(2);
  });
});
