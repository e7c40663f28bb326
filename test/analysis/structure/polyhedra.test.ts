/**
 * Continuous symmetry measures: physics oracles (ideal shapes give 0, invariance under rotation,
 * scale and vertex order, analytic values of stretched polyhedra, SHAPE's tabulated 33.33 and
 * 16.737) and pymatgen ChemEnv's values (test/reference/csm-chemenv.json, written by
 * test/reference/make-csm-references.py with pymatgen 2022.11.7; the calls are in the file) on the
 * shipped crystals and on distorted polyhedra, in both centrings.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { forEachNeighbour } from '../../../src/analysis/structure/neighbours.js';
import {
  continuousSymmetryMeasure,
  IDEAL_POLYHEDRA,
  orderingsTried,
  POLYHEDRON_SHAPES,
  type PolyhedronShape,
  polyhedronShapes,
  shapesForCoordination,
} from '../../../src/analysis/structure/polyhedra.js';
import { readStructure } from '../../../src/io/registry.js';
import { seededRandom, sharedFixture } from '../../helpers.js';

interface ChemenvShape {
  chemenv: string;
  csm: number;
  csm_wocs_ctwocc: number;
}
const REF = JSON.parse(
  readFileSync(new URL('../../reference/csm-chemenv.json', import.meta.url), 'utf8'),
) as {
  crystals: {
    file: string;
    sites: {
      index: number;
      element: string;
      fractional: number[];
      cutoffA: number;
      neighbours: string[];
      shapes: Record<string, ChemenvShape>;
      chemenvEnvironment: { ce_symbol: string; csm: number }[];
    }[];
  }[];
  distorted: {
    from: PolyhedronShape;
    vertices: number[][];
    bruteForce: Record<string, { vertices: number; 'with-centre': number }>;
    finder: Record<string, { csm: number; csm_wocs_ctwocc: number }>;
  }[];
};

/** A rotation matrix from three angles (row-major). */
const rotation = (a: number, b: number, c: number) => {
  const [ca, sa, cb, sb, cc, sc] = [
    Math.cos(a),
    Math.sin(a),
    Math.cos(b),
    Math.sin(b),
    Math.cos(c),
    Math.sin(c),
  ];
  const rz = [ca, -sa, 0, sa, ca, 0, 0, 0, 1];
  const ry = [cb, 0, sb, 0, 1, 0, -sb, 0, cb];
  const rx = [1, 0, 0, 0, cc, -sc, 0, sc, cc];
  const mul = (x: number[], y: number[]) =>
    Array.from({ length: 9 }, (_, k) => {
      const i = Math.floor(k / 3);
      const j = k % 3;
      return x[3 * i] * y[j] + x[3 * i + 1] * y[3 + j] + x[3 * i + 2] * y[6 + j];
    });
  return mul(rz, mul(ry, rx));
};
const apply = (R: number[], v: ArrayLike<number>) => {
  const out: number[] = [];
  for (let k = 0; k < v.length; k += 3)
    for (let a = 0; a < 3; a++) out.push(R[3 * a] * v[k] + R[3 * a + 1] * v[k + 1] + R[3 * a + 2] * v[k + 2]);
  return out;
};

describe('continuous symmetry measure: oracles', () => {
  it('every ideal shape measures 0 against itself, in both centrings, however turned, scaled and ordered', () => {
    const rnd = seededRandom(3);
    for (const shape of POLYHEDRON_SHAPES) {
      const p = IDEAL_POLYHEDRA[shape].points;
      const n = p.length / 3;
      const R = rotation(6 * rnd(), 6 * rnd(), 6 * rnd());
      const order = Array.from({ length: n }, (_, i) => i).sort(() => rnd() - 0.5);
      const turned = apply(
        R,
        order.flatMap((k) => [p[3 * k] * 2.4, p[3 * k + 1] * 2.4, p[3 * k + 2] * 2.4]),
      );
      for (const centring of ['vertices', 'with-centre'] as const)
        expect(continuousSymmetryMeasure(turned, shape, centring).csm, `${shape} ${centring}`).toBeLessThan(
          1e-12,
        );
    }
  });

  it('a stretched octahedron and tetrahedron give the analytic 100 [1 - (2 + c)^2 / (3 (2 + c^2))]', () => {
    for (const c of [0.7, 0.9, 1.2, 1.5]) {
      const expected = 100 * (1 - (2 + c) ** 2 / (3 * (2 + c * c)));
      // Octahedron (+-1, 0, 0), (0, +-1, 0), (0, 0, +-c): closest octahedron by symmetry is the
      // unstretched one; overlap 4 + 2c, |Q|^2 = 4 + 2c^2, |P|^2 = 6.
      const oct = [1, 0, 0, -1, 0, 0, 0, 1, 0, 0, -1, 0, 0, 0, c, 0, 0, -c];
      // Tetrahedron (1, 1, c), (-1, -1, c), (1, -1, -c), (-1, 1, -c) against (+-1, +-1, +-1).
      const tet = [1, 1, c, -1, -1, c, 1, -1, -c, -1, 1, -c];
      for (const centring of ['vertices', 'with-centre'] as const) {
        expect(continuousSymmetryMeasure(oct, 'octahedron', centring).csm).toBeCloseTo(expected, 12);
        expect(continuousSymmetryMeasure(tet, 'tetrahedron', centring).csm).toBeCloseTo(expected, 12);
      }
    }
  });

  it("SHAPE's tabulated values: a square against the tetrahedron 33.33, an octahedron against the trigonal prism 16.737", () => {
    expect(continuousSymmetryMeasure(IDEAL_POLYHEDRA['square-plane'].points, 'tetrahedron').csm).toBeCloseTo(
      100 / 3,
      12,
    );
    expect(continuousSymmetryMeasure(IDEAL_POLYHEDRA.tetrahedron.points, 'square-plane').csm).toBeCloseTo(
      100 / 3,
      12,
    );
    expect(continuousSymmetryMeasure(IDEAL_POLYHEDRA.octahedron.points, 'trigonal-prism').csm).toBeCloseTo(
      16.737,
      3,
    );
    expect(continuousSymmetryMeasure(IDEAL_POLYHEDRA['trigonal-prism'].points, 'octahedron').csm).toBeCloseTo(
      16.737,
      3,
    );
  });

  it('the central atom off the centroid changes only the with-centre measure', () => {
    const oct = IDEAL_POLYHEDRA.octahedron.points.map((x, i) => x + [0.2, 0, 0][i % 3]);
    expect(continuousSymmetryMeasure(oct, 'octahedron', 'vertices').csm).toBeLessThan(1e-12);
    // Vertices p_k + d, centre at 0: centred on the 7 points' centroid 6d/7, q_k = p_k + d/7 and
    // q_c = -6d/7; the overlap with any rotation is sum p_k . R p_k <= 6 (sum p_k = 0), so R = 1,
    // s = 1 and S = 100 (6 |d/7|^2 + |6d/7|^2) / (6 + 6|d|^2/7) = 100 |d|^2 / (7 + |d|^2).
    expect(continuousSymmetryMeasure(oct, 'octahedron', 'with-centre').csm).toBeCloseTo(
      (100 * 0.04) / 7.04,
      12,
    );
  });

  it('tries one vertex ordering per coset of the rotation group', () => {
    expect(orderingsTried('tetrahedron')).toBe(2);
    expect(orderingsTried('square-plane')).toBe(3);
    expect(orderingsTried('trigonal-bipyramid')).toBe(20);
    expect(orderingsTried('square-pyramid')).toBe(30);
    expect(orderingsTried('octahedron')).toBe(30);
    expect(orderingsTried('trigonal-prism')).toBe(120);
    expect(shapesForCoordination(5)).toEqual(['trigonal-bipyramid', 'square-pyramid']);
    expect(polyhedronShapes([1, 0, 0, 0, 1, 0, 0, 0, 1])).toEqual([]);
  });

  it('does not depend on the order in which the vertices are given', () => {
    const rnd = seededRandom(11);
    for (const shape of ['octahedron', 'trigonal-prism', 'square-pyramid'] as const) {
      const p = IDEAL_POLYHEDRA[shape].points.map((x) => x + 0.4 * (rnd() - 0.5));
      const n = p.length / 3;
      // (The exhaustive minimum over all n! orderings is ChemEnv's, compared below.)
      const r0 = continuousSymmetryMeasure(p, shape).csm;
      const perm = Array.from({ length: n }, (_, i) => n - 1 - i);
      const relabelled = perm.flatMap((k) => [p[3 * k], p[3 * k + 1], p[3 * k + 2]]);
      expect(continuousSymmetryMeasure(relabelled, shape).csm).toBeCloseTo(r0, 12);
    }
  });

  it('coinciding vertices have no measure (NaN), a wrong vertex count is an error', () => {
    expect(continuousSymmetryMeasure(new Array(12).fill(1), 'tetrahedron').csm).toBeNaN();
    expect(() => continuousSymmetryMeasure([1, 0, 0], 'octahedron')).toThrow(/needs 6 vertices/);
  });
});

describe('continuous symmetry measure: pymatgen ChemEnv', () => {
  it('distorted polyhedra: equal to the exhaustive minimum of ChemEnv symmetry_measure, both centrings', () => {
    for (const d of REF.distorted) {
      const v = d.vertices.flat();
      for (const [shape, ref] of Object.entries(d.bruteForce)) {
        const s = shape as PolyhedronShape;
        expect(continuousSymmetryMeasure(v, s, 'vertices').csm, `${d.from} vs ${s}`).toBeCloseTo(
          ref.vertices,
          10,
        );
        expect(continuousSymmetryMeasure(v, s, 'with-centre').csm, `${d.from} vs ${s}`).toBeCloseTo(
          ref['with-centre'],
          10,
        );
        // ChemEnv's own search (LocalGeometryFinder) finds the same minimum here.
        expect(d.finder[s].csm).toBeCloseTo(ref['with-centre'], 10);
      }
    }
  });

  for (const crystal of REF.crystals)
    it(`${crystal.file.split('/').pop()}: every Li and Al polyhedron as ChemEnv measures it`, async () => {
      const s = await readStructure(sharedFixture(crystal.file.replace('test/fixtures/shared/', '')));
      const { topology, frame } = s;
      const frac = frame.lattice!.toFractional(frame.positions);
      for (const site of crystal.sites) {
        // The same atom in our reading of the CIF: equal fractional coordinates modulo 1.
        let atom = -1;
        for (let i = 0; i < topology.natoms; i++) {
          let d = 0;
          for (let a = 0; a < 3; a++) {
            const x = frac[3 * i + a] - site.fractional[a];
            d += (x - Math.round(x)) ** 2;
          }
          if (d < 1e-8 && topology.elements[topology.speciesIndex[i]] === site.element) atom = i;
        }
        expect(atom, `site ${site.index}`).toBeGreaterThanOrEqual(0);
        const vertices: number[] = [];
        const others = Int32Array.from(topology.indicesOf('Cl'));
        forEachNeighbour(
          {
            positions: frame.positions,
            lattice: frame.lattice,
            cutoff: site.cutoffA,
            centres: [atom],
            others,
          },
          (_i, _j, _r2, dx, dy, dz) => vertices.push(dx, dy, dz),
        );
        expect(vertices.length / 3).toBe(site.neighbours.length);
        for (const [shape, ref] of Object.entries(site.shapes)) {
          const s2 = shape as PolyhedronShape;
          expect(continuousSymmetryMeasure(vertices, s2, 'with-centre').csm).toBeCloseTo(ref.csm, 9);
          expect(continuousSymmetryMeasure(vertices, s2, 'vertices').csm).toBeCloseTo(ref.csm_wocs_ctwocc, 9);
        }
        // ChemEnv's own analysis picks the same shape: Li octahedral, Al tetrahedral.
        const best = polyhedronShapes(vertices, 'with-centre').sort((a, b) => a.csm - b.csm)[0];
        expect(IDEAL_POLYHEDRA[best.shape].chemenv).toBe(site.chemenvEnvironment[0].ce_symbol);
        expect(best.csm).toBeCloseTo(site.chemenvEnvironment[0].csm, 9);
        expect(best.shape).toBe(site.element === 'Li' ? 'octahedron' : 'tetrahedron');
      }
    });
});
