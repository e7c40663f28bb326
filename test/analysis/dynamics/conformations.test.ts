import { describe, expect, it } from 'vitest';
import {
  ConformationAccumulator,
  conformations,
  findLinks,
  wrap120,
} from '../../../src/analysis/dynamics/conformations.js';
import { jumpRateArrhenius } from '../../../src/analysis/dynamics/jump-arrhenius.js';
import { buildOligomer } from '../../../src/builders/oligomer.js';
import type { Frame } from '../../../src/core/frame.js';
import { Lattice } from '../../../src/core/lattice.js';
import { SeededRandom } from '../../../src/core/random.js';
import { Topology } from '../../../src/core/topology.js';

const DEG = Math.PI / 180;

/**
 * A hand-built Al2OCl6 unit: Al_F at the origin, Al_B at (3.2, 0, 0), O above their midpoint
 * (Al-O 1.72 A), three Cl on each Al at 2.12 A pointing away from the other Al, at angles
 * alpha + 120 k (front) and beta + 120 k (back) about the x axis. The Cl^F-Al...Al-Cl^B dihedral
 * is then |beta - alpha| folded by 120 deg into [0, 60].
 */
const unit = (alphaDeg: number, betaDeg: number, at: [number, number, number] = [0, 0, 0]): number[] => {
  const p: number[][] = [
    [0, 0, 0],
    [1.6, Math.sqrt(1.72 ** 2 - 1.6 ** 2), 0],
    [3.2, 0, 0],
  ];
  for (let k = 0; k < 3; k++) {
    const a = (alphaDeg + 120 * k) * DEG;
    p.push([-0.7, 2 * Math.cos(a), 2 * Math.sin(a)]);
  }
  for (let k = 0; k < 3; k++) {
    const b = (betaDeg + 120 * k) * DEG;
    p.push([3.9, 2 * Math.cos(b), 2 * Math.sin(b)]);
  }
  return p.flatMap((q) => [q[0] + at[0], q[1] + at[1], q[2] + at[2]]);
};
const UNIT_SYMBOLS = ['Al', 'O', 'Al', 'Cl', 'Cl', 'Cl', 'Cl', 'Cl', 'Cl'];
const oneUnit = new Topology({ symbols: UNIT_SYMBOLS });
const cell = Lattice.cubic(30);

/** Frames of one unit whose back Cl3 group sits at beta(t) (front at 17 deg), every 10 fs. */
const rotating = (frames: number, beta: (tPs: number) => number): Frame[] =>
  Array.from({ length: frames }, (_, k) => ({
    positions: Float64Array.from(unit(17, 17 + beta(k * 0.01), [10, 10, 10])),
    lattice: cell,
    timeFs: 10 * k,
  }));

describe('the Cl^F-Al...Al-Cl^B dihedral', () => {
  it('of the hand-built unit is |beta - alpha| folded into [0, 60]; the Al-O-Al angle is exact', () => {
    for (const d of [0, 10, 35, 59, 60, 75, 130, -20, 200]) {
      const { series, result } = conformations(oneUnit, [
        { positions: Float64Array.from(unit(17, 17 + d, [10, 10, 10])), lattice: cell, timeFs: 0 },
        { positions: Float64Array.from(unit(17, 17 + d, [10, 10, 10])), lattice: cell, timeFs: 10 },
        { positions: Float64Array.from(unit(17, 17 + d, [10, 10, 10])), lattice: cell, timeFs: 20 },
      ]);
      expect(series.dihedralDeg[0][0], `beta - alpha = ${d}`).toBeCloseTo(Math.abs(wrap120(d)), 10);
      expect(result.links[0].angleMeanDeg).toBeCloseTo((2 * Math.asin(1.6 / 1.72)) / DEG, 10);
    }
  });

  it('across a periodic boundary equals the same unit inside the cell', () => {
    const inside = Float64Array.from(unit(5, 47, [10, 10, 10]));
    const across = Float64Array.from(unit(5, 47, [28.9, 29.5, 0.2]));
    const frames = (p: Float64Array) =>
      [0, 1, 2].map((k) => ({ positions: p, lattice: cell, timeFs: 10 * k }));
    const a = conformations(oneUnit, frames(inside)).series;
    const b = conformations(oneUnit, frames(across)).series;
    expect(b.dihedralDeg[0][0]).toBeCloseTo(a.dihedralDeg[0][0], 10);
    expect(b.angleDeg[0][0]).toBeCloseTo(a.angleDeg[0][0], 10);
    expect(a.dihedralDeg[0][0]).toBeCloseTo(42, 10);
  });

  it('of a built trimer equals a hand computation (projections onto the plane normal to Al...Al)', () => {
    for (const seed of [1, 2, 3]) {
      const m = buildOligomer({ seed });
      const topology = new Topology({ symbols: m.symbols });
      const links = findLinks(topology, { positions: m.positions });
      expect(links).toHaveLength(2);
      const frame = { positions: m.positions, timeFs: 0 };
      const { series, result } = conformations(topology, [
        frame,
        { ...frame, timeFs: 1 },
        { ...frame, timeFs: 2 },
      ]);
      const p = (i: number) => [0, 1, 2].map((c) => m.positions[3 * i + c]);
      const sub = (a: number[], b: number[]) => a.map((v, c) => v - b[c]);
      const dot = (a: number[], b: number[]) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
      const cross = (a: number[], b: number[]) => [
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
      ];
      links.forEach((l, k) => {
        // Terminal Cl from the builder's roles and bonds.
        const terminals = (al: number) =>
          m.bonds
            .filter((b) => b.includes(al))
            .map((b) => (b[0] === al ? b[1] : b[0]))
            .filter((i) => m.roles[i] === 'Cl_terminal');
        expect(l.clFront.sort()).toEqual(terminals(l.alFront).sort());
        expect(l.clBack.sort()).toEqual(terminals(l.alBack).sort());
        const axis = sub(p(l.alBack), p(l.alFront));
        const n = Math.sqrt(dot(axis, axis));
        const z = axis.map((v) => v / n);
        const e1raw = sub(
          [1, 0, 0],
          z.map((v) => v * z[0]),
        );
        const e1 = e1raw.map((v) => v / Math.sqrt(dot(e1raw, e1raw)));
        const e2 = cross(z, e1);
        const phase = (v: number[]) => Math.atan2(dot(v, e2), dot(v, e1)) / DEG;
        let best = Infinity;
        for (const f of l.clFront)
          for (const g of l.clBack) {
            const diff = phase(sub(p(g), p(l.alBack))) - phase(sub(p(f), p(l.alFront)));
            const r = ((diff % 120) + 120) % 120;
            best = Math.min(best, r, 120 - r);
          }
        expect(series.dihedralDeg[k][0], `seed ${seed}, link ${k}`).toBeCloseTo(best, 9);
        expect(result.links[k].angleMeanDeg).toBeCloseTo(135, 9);
      });
    }
  });
});

describe('jumps between the eclipsed and staggered basins', () => {
  // 12 deg/ps from eclipsed over 62.5 ps: 750 deg; a jump every 60 deg from 40 deg on: 12 jumps.
  const T = 6251;
  const durationNs = ((T - 1) * 10) / 1e6;
  it('a steady rotation gives 2 jumps per 120 deg: the known rate', () => {
    const { result } = conformations(
      oneUnit,
      rotating(T, (t) => 12 * t),
    );
    expect(result.links).toHaveLength(1);
    expect(result.pooled.jumps).toBe(12);
    expect(result.links[0].ratePerNs.value).toBeCloseTo(12 / durationNs, 9);
    // Garwood: chi2_{0.025}(24) / 2 and chi2_{0.975}(26) / 2 (scipy.stats.chi2.ppf).
    expect(result.links[0].ratePerNs.low95).toBeCloseTo(6.200575108722218 / durationNs, 9);
    expect(result.links[0].ratePerNs.high95).toBeCloseTo(20.96158504817696 / durationNs, 9);
    expect(result.durationPs).toBeCloseTo(62.5, 12);
  });

  it('the same rotation under a 5 THz libration of 50 deg: the filter restores the 12 jumps; unfiltered they multiply', () => {
    const beta = (t: number) => 12 * t + 50 * Math.sin(2 * Math.PI * 5 * t);
    const { result } = conformations(oneUnit, rotating(T, beta));
    expect(result.pooled.jumps).toBe(12);
    // A cut-off above the Nyquist frequency (50 THz) keeps everything: many more crossings.
    const raw = conformations(oneUnit, rotating(T, beta), { cutoffTHz: 100 }).result;
    expect(raw.pooled.jumps).toBeGreaterThan(100);
    expect(raw.notes.join(' ')).toMatch(/Nyquist/);
  });

  it('a pure vibration above the cut-off gives no jumps: it stays in its basin (filtered unfolded)', () => {
    for (const centre of [0, 60]) {
      const { result, series } = conformations(
        oneUnit,
        rotating(2001, (t) => centre + 50 * Math.sin(2 * Math.PI * 5 * t)),
      );
      expect(result.pooled.jumps).toBe(0);
      expect(centre === 0 ? result.eclipsedFraction : result.staggeredFraction).toBe(1);
      const f = series.filteredDihedralDeg[0];
      for (let k = 200; k < 1800; k++) expect(Math.abs(f[k] - centre)).toBeLessThan(1);
    }
  });

  it('filtering the folded signal instead moves the eclipsed basin inward by ~2a/pi (why unfolded is the default)', () => {
    const { result, series } = conformations(
      oneUnit,
      rotating(2001, (t) => 50 * Math.sin(2 * Math.PI * 5 * t)),
      {
        filterOn: 'folded',
      },
    );
    const f = series.filteredDihedralDeg[0];
    for (let k = 200; k < 1800; k++) expect(Math.abs(f[k] - 100 / Math.PI)).toBeLessThan(1);
    expect(result.eclipsedFraction).toBe(0);
    expect(result.pooled.jumps).toBe(0);
  });
});

describe('rotational correlation of the Al-Cl bonds', () => {
  it('rigid units in isotropic rotational diffusion: C1 = exp(-2Dt), C2 = exp(-6Dt); fitted times within 10 %', () => {
    // 48 units on a grid; D = 0.25 /ps, so tau_1 = 2 ps and tau_2 = 2/3 ps; 40 ps every 10 fs.
    const units = 48;
    const D = 0.25;
    const dt = 0.01;
    const T = 4001;
    const rng = new SeededRandom(11);
    const gauss = () => {
      const u = 1 - rng.uniform();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.uniform());
    };
    const body = unit(0, 60);
    const centre = [1.6, 0.2, 0];
    const rel = body.map((v, i) => v - centre[i % 3]);
    const R = Array.from({ length: units }, () => [1, 0, 0, 0, 1, 0, 0, 0, 1]);
    const topology = new Topology({ symbols: Array.from({ length: units }, () => UNIT_SYMBOLS).flat() });
    const lattice = Lattice.cubic(40);
    const acc = new ConformationAccumulator(topology, {});
    const sigma = Math.sqrt(2 * D * dt);
    const pos = new Float64Array(3 * 9 * units);
    for (let k = 0; k < T; k++) {
      for (let u = 0; u < units; u++) {
        if (k > 0) {
          // R <- exp([w]x) R, w ~ N(0, 2 D dt) per component (Rodrigues).
          const w = [sigma * gauss(), sigma * gauss(), sigma * gauss()];
          const th = Math.hypot(w[0], w[1], w[2]);
          const [x, y, z] = w.map((v) => v / th);
          const c = Math.cos(th);
          const s = Math.sin(th);
          const Q = [
            c + x * x * (1 - c),
            x * y * (1 - c) - z * s,
            x * z * (1 - c) + y * s,
            y * x * (1 - c) + z * s,
            c + y * y * (1 - c),
            y * z * (1 - c) - x * s,
            z * x * (1 - c) - y * s,
            z * y * (1 - c) + x * s,
            c + z * z * (1 - c),
          ];
          const old = R[u];
          R[u] = [0, 1, 2].flatMap((i) =>
            [0, 1, 2].map((j) => Q[3 * i] * old[j] + Q[3 * i + 1] * old[3 + j] + Q[3 * i + 2] * old[6 + j]),
          );
        }
        const at = [5 + 10 * (u % 4), 5 + 10 * (Math.floor(u / 4) % 4), 5 + 13 * Math.floor(u / 16)];
        const M = R[u];
        for (let a = 0; a < 9; a++)
          for (let i = 0; i < 3; i++)
            pos[3 * (9 * u + a) + i] =
              at[i] + M[3 * i] * rel[3 * a] + M[3 * i + 1] * rel[3 * a + 1] + M[3 * i + 2] * rel[3 * a + 2];
      }
      acc.push({ positions: pos.slice(), lattice, timeFs: 10 * k });
    }
    const r = acc.result();
    expect(r.pooled.jumps).toBe(0);
    const rot = r.rotation!;
    expect(rot.bonds).toBe(6 * units);
    // Unit vectors are stored as Float32: C(0) = 1 to ~1e-7.
    expect(rot.c1[0]).toBeCloseTo(1, 6);
    expect(rot.c2[0]).toBeCloseTo(1, 6);
    const at = (c: Float64Array, tPs: number) => c[Math.round(tPs / dt)];
    expect(Math.abs(at(rot.c1, 1) - Math.exp(-0.5))).toBeLessThan(0.05);
    expect(Math.abs(at(rot.c2, 0.5) - Math.exp(-0.75))).toBeLessThan(0.05);
    for (const [fit, tau] of [
      [rot.p1, 2],
      [rot.p2, 2 / 3],
    ] as const) {
      expect(fit.decayed).toBe(true);
      expect(Math.abs(fit.exponential.tauPs / tau - 1)).toBeLessThan(0.1);
      expect(Math.abs(fit.integralPs / tau - 1)).toBeLessThan(0.15);
      expect(Math.abs(fit.stretched.meanTauPs / tau - 1)).toBeLessThan(0.15);
      expect(fit.stretched.beta).toBeGreaterThan(0.8);
    }
  });
});

describe('bad input', () => {
  it('names the cause: no Al or O, no Al-O-Al link, no frame times', () => {
    expect(() => new ConformationAccumulator(new Topology({ symbols: ['Li', 'Cl'] }))).toThrow(
      /no Al atoms in the run \(it has Li, Cl\)/,
    );
    const t = new Topology({ symbols: ['Al', 'Cl', 'Cl', 'Cl', 'Cl', 'O'] });
    const acc = new ConformationAccumulator(t);
    const p = Float64Array.from([0, 0, 0, 2.1, 0, 0, -2.1, 0, 0, 0, 2.1, 0, 0, -2.1, 0, 8, 8, 8]);
    expect(() => acc.push({ positions: p })).toThrow(
      /no Al-O-Al links in the first frame \(no O bonded to two Al within 2.1 A\)/,
    );
    const noTimes = rotating(5, () => 0).map((f) => ({ ...f, timeFs: undefined }));
    expect(() => conformations(oneUnit, noTimes)).toThrow(/the frames carry no times/);
    expect(conformations(oneUnit, noTimes, { frameIntervalFs: 10 }).result.frameIntervalFrom).toBe('option');
    expect(() => new ConformationAccumulator(oneUnit, { eclipsedBelowDeg: 45 })).toThrow(/basins/);
  });
});

describe('Arrhenius of the jump rate', () => {
  it('recovers Ea from rates that follow it, leaves out a run without jumps and says so', () => {
    const kB = 8.617333262145179e-5;
    const runs = [300, 400, 500, 600].map((T) => ({
      temperatureK: T,
      jumps: 1e4 * Math.exp(-0.2 / (kB * T)),
      linkTimeNs: 1.6,
    }));
    const r = jumpRateArrhenius([...runs, { temperatureK: 250, jumps: 0, linkTimeNs: 1.6 }]);
    expect(r.fit!.activationEv.value).toBeCloseTo(0.2, 10);
    expect(r.fittedK).toEqual([300, 400, 500, 600]);
    expect(r.at300K!.value).toBeCloseTo(runs[0].jumps / 1.6, 8);
    expect(r.notes[0]).toBe('no jumps at 250 K: left out of the Arrhenius fit of the jump rate');
    const one = jumpRateArrhenius([runs[0], { temperatureK: 400, jumps: 0, linkTimeNs: 1 }]);
    expect(one.fit).toBeUndefined();
    expect(one.notes.join(' ')).toMatch(/needs jumps at two or more different temperatures/);
  });
});
