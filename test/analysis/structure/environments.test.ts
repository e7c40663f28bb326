/**
 * Coordination environments: neighbour counts against brute-force distances over every periodic
 * image, labels and NMR classes, hysteresis, populations and transitions of scripted runs, the
 * shipped crystals (LiCl: Li[Cl6] octahedra; LiAlCl4: Li[Cl6] octahedra, Al[Cl4] tetrahedra, with
 * ChemEnv's measures) and the errors.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  environmentLabel,
  nmrClassName,
  nmrClassOf,
} from '../../../src/analysis/structure/coordination-labels.js';
import {
  EnvironmentAccumulator,
  type EnvironmentOptions,
} from '../../../src/analysis/structure/environments.js';
import { OligolyteError } from '../../../src/core/errors.js';
import type { Frame } from '../../../src/core/frame.js';
import { Lattice } from '../../../src/core/lattice.js';
import { Topology } from '../../../src/core/topology.js';
import { readStructure } from '../../../src/io/registry.js';
import { seededRandom, sharedFixture } from '../../helpers.js';

const run = (topology: Topology, frames: Frame[], options: EnvironmentOptions) => {
  const acc = new EnvironmentAccumulator(topology, options);
  for (const f of frames) acc.push(f);
  return acc.result();
};

describe('labels and NMR classes', () => {
  it('names environments by element counts and groups them as the study does', () => {
    const el = ['O', 'Cl'];
    expect(environmentLabel('Li', el, [2, 3])).toBe('Li[O2Cl3]');
    expect(environmentLabel('Li', el, [1, 5])).toBe('Li[OCl5]');
    expect(environmentLabel('Li', el, [0, 6])).toBe('Li[Cl6]');
    expect(environmentLabel('Li', el, [0, 0])).toBe('Li[]');
    expect(nmrClassOf(el, [0, 6])).toBe('Cl6');
    // 6-coordinate with O is not [Cl6]: "other".
    expect(nmrClassOf(el, [1, 5])).toBe('other');
    expect(nmrClassOf(el, [2, 3])).toBe('OnCl5-n');
    expect(nmrClassOf(el, [0, 5])).toBe('OnCl5-n');
    expect(nmrClassOf(el, [5, 0])).toBe('OnCl5-n');
    expect(nmrClassOf(el, [1, 3])).toBe('OmCl4-m');
    expect(nmrClassOf(el, [0, 3])).toBe('other');
    expect(nmrClassOf(el, [0, 7])).toBe('other');
    expect(nmrClassOf(['O', 'Cl', 'F'], [1, 3, 1])).toBe('other');
    expect(nmrClassName('Li', 'OnCl5-n')).toBe('Li[OnCl5-n]');
    expect(nmrClassName('Na', 'Cl6')).toBe('Na[Cl6]');
  });
});

describe('neighbours', () => {
  it('counts every periodic image within the cut-off, as brute-force distances do, in a small triclinic cell', () => {
    const rnd = seededRandom(21);
    const symbols = ['Li', 'Li', 'Li', 'O', 'O', 'Cl', 'Cl', 'Cl', 'Cl', 'Al'];
    const topology = new Topology({ symbols });
    const lattice = Lattice.fromParameters({ a: 4.1, b: 4.6, c: 5.2, alpha: 78, beta: 96, gamma: 109 });
    const cutoffsA = { O: 2.9, Cl: 3.6 };
    const frames: Frame[] = [];
    const expected: string[][] = [];
    for (let f = 0; f < 5; f++) {
      const frac = Array.from({ length: 3 * symbols.length }, () => 2 * rnd() - 0.5);
      const positions = lattice.toCartesian(frac);
      frames.push({ positions, lattice });
      // Brute force: every translation n in [-3, 3]^3 (the cell is narrower than twice the cut-off).
      const labels: string[] = [];
      for (const i of [0, 1, 2]) {
        const counts = [0, 0];
        for (let j = 0; j < symbols.length; j++) {
          const e = ['O', 'Cl'].indexOf(symbols[j]);
          if (e < 0) continue;
          for (let a = -3; a <= 3; a++)
            for (let b = -3; b <= 3; b++)
              for (let c = -3; c <= 3; c++) {
                if (j === i && a === 0 && b === 0 && c === 0) continue;
                const d = [0, 1, 2].map(
                  (x) =>
                    positions[3 * j + x] +
                    a * lattice.matrix[x] +
                    b * lattice.matrix[3 + x] +
                    c * lattice.matrix[6 + x] -
                    positions[3 * i + x],
                );
                if (Math.hypot(...d) <= [cutoffsA.O, cutoffsA.Cl][e]) counts[e]++;
              }
        }
        labels.push(environmentLabel('Li', ['O', 'Cl'], counts));
      }
      expected.push(labels);
    }
    const acc = new EnvironmentAccumulator(topology, { cutoffsA, shapeEvery: 0 });
    const got: string[][] = [];
    for (const [t, f] of frames.entries()) {
      acc.push(f);
      got.push(acc.frameLabels(t));
    }
    expect(got).toEqual(expected);
  });
});

/** One Li at the centre of a big cubic cell with Cl at given distances along fixed directions. */
const shell = (distances: number[][], extra: string[] = []) => {
  const n = distances[0].length;
  const symbols = ['Li', ...Array.from({ length: n }, (_, k) => extra[k] ?? 'Cl')];
  const dirs = [
    [1, 0, 0],
    [-1, 0, 0],
    [0, 1, 0],
    [0, -1, 0],
    [0, 0, 1],
    [0, 0, -1],
    [0.6, 0.8, 0],
  ];
  const lattice = Lattice.cubic(20);
  const frames: Frame[] = distances.map((ds, t) => {
    const positions = new Float64Array(3 * symbols.length);
    positions.set([10, 10, 10]);
    for (let k = 0; k < n; k++)
      for (let x = 0; x < 3; x++) positions[3 * (k + 1) + x] = 10 + ds[k] * dirs[k][x];
    return { positions, lattice, timeFs: 1000 + 20 * t };
  });
  return { topology: new Topology({ symbols }), frames };
};

describe('environments', () => {
  it('hysteresis: a neighbour rattling across the cut-off stops flickering; it enters inside r_in, leaves beyond r_out', () => {
    const r5 = [2.5, 3.05, 2.95, 3.05, 2.95, 3.2, 2.95, 2.85, 3.05];
    const { topology, frames } = shell(r5.map((r) => [2.4, 2.4, 2.4, 2.4, r]));
    const cnOf = (hysteresisA: number) => {
      const acc = new EnvironmentAccumulator(topology, { cutoffsA: { Cl: 3.0 }, hysteresisA, shapeEvery: 0 });
      for (const f of frames) acc.push(f);
      return frames.map((_, t) => acc.frameCoordination(t)[0]);
    };
    expect(cnOf(0)).toEqual([5, 4, 5, 4, 5, 4, 5, 5, 4]);
    expect(cnOf(0.2)).toEqual([5, 5, 5, 5, 5, 4, 4, 5, 5]);
    const r = run(topology, frames, { cutoffsA: { Cl: 3.0 }, hysteresisA: 0.2, shapeEvery: 0 });
    expect(r.windowsA.Cl).toEqual({ enterA: 2.9, leaveA: 3.1 });
    expect(r.labels.transitions.changes).toBe(2);
    const flicker = run(topology, frames, { cutoffsA: { Cl: 3.0 }, shapeEvery: 0 });
    expect(flicker.labels.transitions.changes).toBe(7);
  });

  it('populations, NMR classes, CN classes and transitions of a scripted run; lifetimes from the frame times', () => {
    // Li with 2 O and 2 Cl fixed, a third Cl in (Li[O2Cl3], 5-coordinate) for 3 frames, out (Li[O2Cl2]) for 1.
    const pattern = Array.from({ length: 64 }, (_, t) => (t % 4 === 3 ? 4.5 : 2.5));
    const { topology, frames } = shell(
      pattern.map((r) => [2.0, 2.0, 2.4, 2.4, r]),
      ['O', 'O', 'Cl', 'Cl', 'Cl'],
    );
    const r = run(topology, frames, { cutoffsA: { O: 2.6, Cl: 3.0 }, shapeEvery: 1 });
    expect(r.neighbours).toEqual(['O', 'Cl']);
    expect(r.frameIntervalFs).toBe(20);
    expect(r.frameIntervalFrom).toBe('file times');
    expect(r.labels.states.map((s) => s.name)).toEqual(['Li[O2Cl3]', 'Li[O2Cl2]']);
    expect(r.labels.states[0].population.mean).toBe(0.75);
    expect(r.labels.states[0].counts).toEqual({ O: 2, Cl: 3 });
    expect(r.labels.states[0].nmrClass).toBe('Li[OnCl5-n]');
    expect(r.labels.states[1].nmrClass).toBe('Li[OmCl4-m]');
    // A strictly periodic pattern: the block means are all equal at blocks of 4 frames and more.
    expect(r.labels.states[0].population.standardError).toBeLessThan(0.1);
    expect(r.nmrClasses.states.map((s) => [s.name, s.population.mean])).toEqual([
      ['Li[Cl6]', 0],
      ['Li[OnCl5-n]', 0.75],
      ['Li[OmCl4-m]', 0.25],
      ['other', 0],
    ]);
    expect(r.coordinationNumbers.states.map((s) => [s.name, s.population.mean])).toEqual([
      ['CN 4', 0.25],
      ['CN 5', 0.75],
    ]);
    expect(r.meanCoordination.mean).toBe(4.75);
    // Transitions per frame step: 5 -> 5 twice and 5 -> 4 once every 4 frames, 4 -> 5 always.
    const tm = r.labels.transitions;
    expect(tm.counts).toEqual([
      [32, 16],
      [15, 0],
    ]);
    expect(tm.probabilities[0]).toEqual([2 / 3, 1 / 3]);
    expect(tm.changes).toBe(31);
    expect(tm.changesPerCentrePerPs).toBeCloseTo(31 / (63 * 0.02), 12);
    // Lifetimes: runs of 3 frames of Li[O2Cl3] (0.06 ps), runs of 1 of Li[O2Cl2].
    const cc = r.labels.correlations.continuous[0];
    expect(cc[0]).toBe(1);
    expect(cc[3]).toBe(0);
    expect(r.lagsPs![1]).toBeCloseTo(0.02, 15);
    expect(r.labels.states[0].lifetimes!.continuous.integralPs).toBeGreaterThan(0.02);
    expect(r.labels.states[0].lifetimes!.continuous.integralPs).toBeLessThan(0.06);
    // Shapes: 5-coordinate polyhedra measured against the trigonal bipyramid and square pyramid.
    expect(r.shapes.byCoordination.map((s) => s.cn)).toEqual([4, 5]);
    expect(r.labels.states[0].polyhedra).toBe(48);
    // The five vertices are 5 of an octahedron's: a square pyramid (apex at 2.5, base not through the centre).
    const sp = r.labels.states[0].shapes!.find((s) => s.shape === 'square-pyramid')!;
    expect(sp.nearestFraction).toBe(1);
  });

  it('LiCl rock salt: every Li is Li[Cl6], a perfect octahedron', async () => {
    const s = await readStructure(sharedFixture('structures/LiCl_rocksalt.cif'));
    const r = run(s.topology, [s.frame], { cutoffsA: { Cl: 3.1 } });
    expect(r.centres).toBe(4);
    expect(r.labels.states.map((x) => [x.name, x.population.mean])).toEqual([['Li[Cl6]', 1]]);
    expect(r.nmrClasses.states[0]).toMatchObject({
      name: 'Li[Cl6]',
      population: { mean: 1, standardError: null },
    });
    const oct = r.shapes.byCoordination[0];
    expect(oct.cn).toBe(6);
    expect(oct.shapes[0].shape).toBe('octahedron');
    expect(oct.shapes[0].meanCsm).toBeLessThan(1e-12);
    // The trigonal-prism measure of a perfect octahedron: SHAPE tabulates 16.737; pymatgen ChemEnv's
    // value for LiCl (test/reference/csm-chemenv.json, make-csm-references.py) to every digit.
    expect(oct.shapes[1].meanCsm).toBeCloseTo(16.736755360768708, 10);
    expect(r.lagsPs).toBeNull();
  });

  it("LiAlCl4: Li[Cl6] octahedra and Al[Cl4] tetrahedra with ChemEnv's measures", async () => {
    const ref = JSON.parse(
      readFileSync(new URL('../../reference/csm-chemenv.json', import.meta.url), 'utf8'),
    );
    const sites = ref.crystals[0].sites as {
      element: string;
      shapes: Record<string, { csm_wocs_ctwocc: number; csm: number }>;
    }[];
    const s = await readStructure(sharedFixture('structures/LiAlCl4_COD1004036.cif'));
    const li = run(s.topology, [s.frame], { cutoffsA: { Cl: 3.1 } });
    expect(li.labels.states.map((x) => x.name)).toEqual(['Li[Cl6]']);
    const liRef = sites.find((x) => x.element === 'Li')!.shapes;
    expect(li.shapes.byCoordination[0].shapes[0].meanCsm).toBeCloseTo(liRef.octahedron.csm_wocs_ctwocc, 9);
    const al = run(s.topology, [s.frame], {
      centre: 'Al',
      neighbours: ['Cl'],
      cutoffsA: { Cl: 2.6 },
      centring: 'with-centre',
    });
    expect(al.labels.states.map((x) => x.name)).toEqual(['Al[Cl4]']);
    expect(al.nmrClasses.states.find((x) => x.name === 'Al[OmCl4-m]')!.population.mean).toBe(1);
    const alRef = sites.find((x) => x.element === 'Al')!.shapes;
    const tet = al.shapes.byCoordination[0].shapes;
    expect(tet[0].shape).toBe('tetrahedron');
    expect(tet[0].meanCsm).toBeCloseTo(alRef.tetrahedron.csm, 9);
    expect(tet[1].meanCsm).toBeCloseTo(alRef['square-plane'].csm, 9);
    expect(tet[0].nearestFraction).toBe(1);
  });

  it('bad input: no centre atoms, no neighbour atoms, a missing cut-off, a frame of another size', () => {
    const topology = new Topology({ symbols: ['Na', 'Cl', 'Al'] });
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(OligolyteError);
        return (e as Error).message;
      }
      throw new Error('no error');
    };
    expect(err(() => new EnvironmentAccumulator(topology, { cutoffsA: {} }))).toBe(
      '`centre`: no Li atoms in the run (its elements: Na, Cl, Al)',
    );
    expect(
      err(() => new EnvironmentAccumulator(topology, { centre: 'Na', neighbours: ['O', 'F'], cutoffsA: {} })),
    ).toBe('`neighbours`: no O, F atoms in the run to coordinate Na (its elements: Na, Cl, Al)');
    expect(err(() => new EnvironmentAccumulator(topology, { centre: 'Na', cutoffsA: { O: 2 } }))).toBe(
      '`cutoffsA`: no cut-off for Na-Cl',
    );
    expect(
      err(() => new EnvironmentAccumulator(topology, { centre: 'Na', cutoffsA: { Cl: 3 }, hysteresisA: 7 })),
    ).toMatch(/leaves no inner cut-off/);
    const acc = new EnvironmentAccumulator(topology, {
      centre: 'Na',
      neighbours: ['O', 'Cl'],
      cutoffsA: { Cl: 3 },
    });
    expect(err(() => acc.push({ positions: new Float64Array(6) }))).toMatch(/frame 1 has 2 atoms, the run 3/);
    acc.push({ positions: new Float64Array([0, 0, 0, 2, 0, 0, 9, 9, 9]) });
    const r = acc.result();
    expect(r.labels.states[0].name).toBe('Na[Cl]');
    expect(r.notes).toContain('no O atoms in the run: O is not counted');
    expect(
      err(() => new EnvironmentAccumulator(topology, { centre: 'Na', cutoffsA: { Cl: 3 } }).result()),
    ).toMatch(/no frames/);
  });
});
