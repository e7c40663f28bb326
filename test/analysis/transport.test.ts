/**
 * Transport analysis: FFT MSD against a direct sum, against MDAnalysis, and the pymatgen-analysis-
 * diffusion and fit_arrhenius reference values given in issue 3 (reproduced with
 * pymatgen-analysis-diffusion 2025.11.15 by the author; the calls are quoted at each test).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyseTransport } from '../../src/analysis/transport/analyse-run.js';
import { extrapolate, fitArrhenius, fitArrheniusWeighted } from '../../src/analysis/transport/arrhenius.js';
import { nernstEinsteinFactor } from '../../src/analysis/transport/conductivity.js';
import { DensityGridAccumulator } from '../../src/analysis/transport/density-grid.js';
import {
  DisplacementRecorder,
  Displacements,
  FrameworkMotion,
} from '../../src/analysis/transport/displacements.js';
import { computeMsd, elementMsds } from '../../src/analysis/transport/msd.js';
import {
  pairCovariance,
  randomWalkMsdCovariance,
} from '../../src/analysis/transport/random-walk-covariance.js';
import { Lattice } from '../../src/core/lattice.js';
import { BOLTZMANN_EV_PER_K } from '../../src/core/units.js';
import { readFrames } from '../../src/io/registry.js';
import { fixture, optionalShared, seededGaussian, seededRandom, sharedFixture } from '../helpers.js';

const LGPS = sharedFixture('peer-trajectories/derived/LGPS_600K_unwrapped.extxyz.gz');
/** The MDAnalysis reference values of test/fixtures/make-mdanalysis-like.py's random walk. */
const MDA_LIKE = JSON.parse(
  readFileSync(new URL('../reference/mdanalysis-like.json', import.meta.url), 'utf8'),
);
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('MSD', () => {
  it('the FFT MSD equals the direct sum over all origins (drift removed, unwrapped from wrapped input)', () => {
    const gauss = seededGaussian(5);
    const L = Lattice.cubic(9);
    const N = 5; // odd: one series has no partner in the paired complex transforms
    const T = 120;
    const rec = new DisplacementRecorder(N + 2, { selected: [0, 1, 2, 3, 4] });
    const raw: Float64Array[] = [];
    const pos = new Float64Array(3 * (N + 2));
    for (let t = 0; t < T; t++) {
      for (let i = 0; i < pos.length; i++) pos[i] += 0.3 * gauss() + 0.01;
      raw.push(pos.slice());
      rec.push({ positions: pos.map((x) => x - 9 * Math.floor(x / 9)), lattice: L });
    }
    const d = rec.result();
    const msd = computeMsd(d, { statisticsLags: [1, 7, 60, 119] });
    const disp = (t: number, i: number, a: number) => {
      const drift =
        (raw[t][3 * N + a] - raw[0][3 * N + a] + raw[t][3 * N + 3 + a] - raw[0][3 * N + 3 + a]) / 2;
      return raw[t][3 * i + a] - raw[0][3 * i + a] - drift;
    };
    for (const m of [1, 2, 7, 60, 119]) {
      let s = 0;
      let sx = 0;
      for (let i = 0; i < N; i++)
        for (let k = 0; k + m < T; k++)
          for (let a = 0; a < 3; a++) {
            const q = (disp(k + m, i, a) - disp(k, i, a)) ** 2;
            s += q;
            if (a === 0) sx += q;
          }
      const n = N * (T - m);
      expect(rel(msd.tracer.total[m], s / n)).toBeLessThan(1e-12);
      expect(rel(msd.tracer.axis[0][m], sx / n)).toBeLessThan(1e-12);
    }
    // The statistics lags agree with the FFT curve.
    for (const [j, m] of msd.tracerStats.lags.entries())
      expect(rel(msd.tracerStats.mean.total[j], msd.tracer.total[m])).toBeLessThan(1e-12);
  });

  it("unwraps wrapped triclinic and variable-cell (NPT) frames with the later frame's cell", () => {
    const gauss = seededGaussian(11);
    const base = Lattice.fromParameters({ a: 7, b: 8, c: 9, alpha: 70, beta: 100, gamma: 115 });
    const T = 60;
    for (const npt of [false, true]) {
      const rec = new DisplacementRecorder(3, { selected: [0, 1, 2], framework: [] });
      const frac = Float64Array.from({ length: 9 }, () => Math.abs(gauss()) % 1);
      const expected = new Float64Array(9);
      for (let t = 0; t < T; t++) {
        const L = npt ? base.scaled(1 + 0.01 * Math.sin(t)) : base;
        if (t > 0) {
          // Fractional steps of up to ~0.15 cell (never half a cell): the true displacement is each
          // step converted with the later frame's cell.
          const step = Float64Array.from({ length: 9 }, () => 0.05 * gauss());
          frac.forEach((_, i) => {
            frac[i] += step[i];
          });
          const cart = L.toCartesian(step);
          cart.forEach((v, i) => {
            expected[i] += v;
          });
        }
        const wrapped = frac.map((f) => f - Math.floor(f));
        rec.push({ positions: L.toCartesian(wrapped), lattice: L });
      }
      const d = rec.result();
      for (let i = 0; i < 3; i++)
        for (let a = 0; a < 3; a++) expect(d.series(i, a)[T - 1]).toBeCloseTo(expected[3 * i + a], 10);
      expect(d.driftCorrected).toBe(false);
    }
  });

  it('keeps the other atoms at evenly spaced frames (the spacing doubles when the store fills)', () => {
    const gauss = seededGaussian(21);
    const L = Lattice.cubic(10);
    const T = 37;
    const natoms = 5;
    const sparse = new DisplacementRecorder(natoms, { selected: [0], others: true, otherFrames: 8 });
    const full = new DisplacementRecorder(natoms, { selected: [1, 2, 3, 4], framework: [] });
    const pos = new Float64Array(3 * natoms);
    for (let t = 0; t < T; t++) {
      for (let i = 0; i < pos.length; i++) pos[i] += 0.4 * gauss();
      const frame = { positions: pos.map((x) => x - 10 * Math.floor(x / 10)), lattice: L };
      sparse.push(frame);
      full.push(frame);
    }
    const o = sparse.result().others!;
    // 37 frames into 8 slots: spacing 1 -> 2 -> 4 -> 8; frames 0, 8, 16, 24, 32.
    expect(o.stride).toBe(8);
    expect(o.frames).toBe(5);
    expect(Array.from(o.atoms)).toEqual([1, 2, 3, 4]);
    // The drift (mean of atoms 1-4, the default framework) is removed from the sparse series.
    const f = full.result();
    const dense = [0, 1, 2, 3].map((slot) => [0, 1, 2].map((a) => f.series(slot, a)));
    for (let slot = 0; slot < 4; slot++)
      for (let a = 0; a < 3; a++) {
        const s = o.series(slot, a);
        for (let k = 0; k < o.frames; k++) {
          const t = k * o.stride;
          const drift = (dense[0][a][t] + dense[1][a][t] + dense[2][a][t] + dense[3][a][t]) / 4;
          expect(s[k]).toBeCloseTo(dense[slot][a][t] - drift, 12);
        }
      }
    const [el] = elementMsds(o, () => 'Cl');
    expect(el.atoms).toBe(4);
    expect(Array.from(el.lagsFrames)).toEqual([0, 8, 16, 24, 32]);
    let direct = 0;
    for (let slot = 0; slot < 4; slot++)
      for (let a = 0; a < 3; a++) {
        const s = o.series(slot, a);
        for (let k = 0; k + 1 < o.frames; k++) direct += (s[k + 1] - s[k]) ** 2;
      }
    expect(rel(el.curves.total[1], direct / (4 * (o.frames - 1)))).toBeLessThan(1e-12);
  });

  it('told the number of frames first, stores the same frames without thinning them out', () => {
    const gauss = seededGaussian(22);
    const L = Lattice.cubic(10);
    const natoms = 5;
    for (const [T, told] of [
      [37, 37],
      [32, 32],
      [37, 20],
      [20, 37],
    ]) {
      const plain = new DisplacementRecorder(natoms, { selected: [0], others: true, otherFrames: 8 });
      const hinted = new DisplacementRecorder(natoms, {
        selected: [0],
        others: true,
        otherFrames: 8,
        expectedFrames: told,
      });
      const pos = new Float64Array(3 * natoms);
      for (let t = 0; t < T; t++) {
        for (let i = 0; i < pos.length; i++) pos[i] += 0.4 * gauss();
        const frame = { positions: pos.map((x) => x - 10 * Math.floor(x / 10)), lattice: L };
        plain.push(frame);
        hinted.push(frame);
      }
      const a = plain.result().others!.sparseData;
      const b = hinted.result().others!.sparseData;
      if (told >= T) {
        // The count given or more: exactly the frames kept without it (37 frames: every 8th).
        if (told === T) expect(b).toEqual(a);
        else expect(b.stride).toBeGreaterThanOrEqual(a.stride);
      } else expect(b).toEqual(a); // fewer told than come: thinned as usual, to the same frames
    }
    // A recorder that goes on after result(): the result it gave stays as it was.
    const going = new DisplacementRecorder(natoms, { selected: [0], others: true, otherFrames: 8 });
    const pos = new Float64Array(3 * natoms);
    const frame = () => {
      for (let i = 0; i < pos.length; i++) pos[i] += 0.4 * gauss();
      return { positions: pos.map((x) => x - 10 * Math.floor(x / 10)), lattice: L };
    };
    for (let t = 0; t < 20; t++) going.push(frame());
    const early = going.result().others!.sparseData;
    const copy = { ...early, data: early.data.slice() };
    for (let t = 0; t < 40; t++) going.push(frame());
    expect(early).toEqual(copy);
    expect(going.result().others!.sparseData.stride).toBeGreaterThan(early.stride);
    const motion = new FrameworkMotion(natoms, { selected: [0], others: true });
    motion.push({ positions: new Float64Array(3 * natoms), lattice: L });
    expect(() => motion.expectFrames(10)).toThrow(/after the first frame/);
  });

  /** The tracer MSD of every particle of an XTC, lags in frames, not unwrapped, drift kept (as MDAnalysis). */
  const xtcMsd = async (path: string) => {
    let rec: DisplacementRecorder | undefined;
    for await (const s of readFrames(path)) {
      rec ??= new DisplacementRecorder(s.topology.natoms, {
        selected: Array.from({ length: s.topology.natoms }, (_, i) => i),
        framework: [],
        unwrapped: true,
      });
      rec.push(s.frame);
    }
    return computeMsd(rec!.result()).tracer.total;
  };
  const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((a, x) => a + x * x, 0));

  it('MDAnalysis EinsteinMSD on a random walk (test/fixtures/mdanalysis-like): every lag', async () => {
    // Reference: MDAnalysis EinsteinMSD(u, select="all", msd_type="xyz", fft=False) on
    // random-walk.pdb + random-walk.xtc (made by test/fixtures/make-mdanalysis-like.py), lags in
    // frames, all 100 particles. MDAnalysis neither unwraps nor removes drift: neither do we here.
    const ref = MDA_LIKE.EinsteinMSD;
    const msd = await xtcMsd(fixture('mdanalysis-like/random-walk.xtc'));
    expect(msd.length).toBe(ref.timeseries.length);
    // XTC coordinates are float32 decoded in double here (MDAnalysis keeps float32): 1e-6 relative.
    ref.timeseries.forEach((x: number, k: number) => {
      expect(Math.abs(msd[k] - x), `lag ${k}`).toBeLessThanOrEqual(1e-6 * Math.max(x, 1));
    });
    expect(rel(norm(msd), ref.timeseriesNorm)).toBeLessThan(1e-6);
  });

  // MDAnalysis's own random walk is GPL: read from ../shared/data when it is there, else skipped.
  const gplWalk = optionalShared('peer-trajectories/mdanalysis-gpl/xyz_random_walk.xtc');
  it.skipIf(!gplWalk)(
    'MDAnalysis EinsteinMSD on its random walk (GPL, ../shared/data): norm of the MSD time series = 3932.3992748714',
    async () => {
      // Reference from issue 3: MDAnalysis EinsteinMSD(u, select="all", msd_type="xyz", fft=True) on
      // RANDOM_WALK_TOPO.pdb + xyz_random_walk.xtc, lags in frames, all 100 particles (read in place).
      expect(rel(norm(await xtcMsd(gplWalk!)), 3932.3992748714)).toBeLessThan(1e-6);
    },
  );

  it('the non-Gaussian parameter is ~0 for Gaussian steps and positive for rare hops', () => {
    const T = 2000;
    const make = (step: () => number) => {
      const rec = new DisplacementRecorder(20, {
        selected: Array.from({ length: 20 }, (_, i) => i),
        unwrapped: true,
      });
      const p = new Float64Array(60);
      for (let t = 0; t < T; t++) {
        if (t > 0) for (let i = 0; i < 60; i++) p[i] += step();
        rec.push({ positions: p, unwrapped: true });
      }
      return computeMsd(rec.result(), { statisticsLags: [5] }).tracerStats.nonGaussian[0];
    };
    const gauss = seededGaussian(2);
    const u = seededRandom(3);
    expect(Math.abs(make(() => 0.1 * gauss()))).toBeLessThan(0.05);
    expect(make(() => (u() < 0.01 ? (u() < 0.5 ? -1 : 1) : 0))).toBeGreaterThan(1);
  });
});

describe('random-walk covariance', () => {
  it('matches a brute-force double sum over window pairs, with and without vibration', () => {
    const T = 30;
    const r = 0.7; // vibration variance / step variance
    for (const [a, b] of [
      [1, 1],
      [3, 5],
      [5, 3],
      [7, 20],
      [14, 16],
      [20, 25],
      [29, 29],
      [1, 29],
    ]) {
      // Cov(D(t,a), D(t',b)) = overlap + r e, e = shared end points (+ at equal starts/ends, - crossed).
      let plain = 0;
      let noisy = 0;
      for (let t = 0; t + a < T; t++)
        for (let u = 0; u + b < T; u++) {
          const ov = Math.max(0, Math.min(t + a, u + b) - Math.max(t, u));
          const e = Number(t + a === u + b) + Number(t === u) - Number(t + a === u) - Number(t === u + b);
          plain += 2 * ov * ov;
          noisy += 2 * (ov + r * e) ** 2;
        }
      const n = (T - a) * (T - b);
      expect(rel(pairCovariance(T, a, b), plain / n)).toBeLessThan(1e-14);
      const C = randomWalkMsdCovariance(T, [a, b], r);
      expect(rel(C.get(0, 1), noisy / n)).toBeLessThan(1e-13);
    }
    // A lag of 0 displaces nothing: no covariance with any lag (its end-point offsets coincide
    // and cancel), with or without vibration.
    for (const b of [0, 1, 7, 29]) {
      expect(pairCovariance(T, 0, b)).toBe(0);
      expect(randomWalkMsdCovariance(T, [0, b], r).get(0, 1)).toBe(0);
    }
  });
});

describe('pymatgen-analysis-diffusion compatibility (LGPS 600 K, issue 3 reference values)', () => {
  // DiffusionAnalyzer.from_structures(frames, "Li", 600, time_step=2, step_skip=10[, smoothed=...])
  // on the frames of LGPS_600K_unwrapped.extxyz.gz, pymatgen-analysis-diffusion 2025.11.15.
  const run = (smoothed: 'max' | 'constant' | false) =>
    analyseTransport(readFrames(LGPS), {
      species: 'Li',
      temperatureK: 600,
      fitStartPs: 2,
      compat: { smoothed, avgNsteps: 100 },
    });
  it('smoothed="max"', async () => {
    const p = (await run('max')).result.pymatgen!;
    expect(rel(p.diffusivity, 1.1612930641e-6)).toBeLessThan(1e-6);
    expect(rel(p.conductivityMsPerCm, 74.165367854)).toBeLessThan(1e-6);
    expect(rel(p.conductivityStdMsPerCm, 0.0097244672)).toBeLessThan(1e-6);
    expect(rel(p.chargeConductivityMsPerCm, 232.82787998)).toBeLessThan(1e-6);
    expect(rel(p.havenRatio, 0.31854161)).toBeLessThan(1e-6);
  });
  it('smoothed=False', async () => {
    const p = (await run(false)).result.pymatgen!;
    expect(rel(p.diffusivity, 4.2597690543e-7)).toBeLessThan(1e-6);
    expect(rel(p.conductivityMsPerCm, 27.204789958)).toBeLessThan(1e-6);
  });
  it('smoothed="constant", avg_nsteps=100', async () => {
    const p = (await run('constant')).result.pymatgen!;
    expect(rel(p.diffusivity, 7.4226016497e-7)).toBeLessThan(1e-6);
    expect(rel(p.conductivityMsPerCm, 47.404053188)).toBeLessThan(1e-6);
  });
});

describe('conductivity and Arrhenius', () => {
  it('Nernst-Einstein factor: 1000 N e^2 / (V k_B T) in mS/cm per cm^2/s', () => {
    // 20 Li in 970.414 A^3 at 600 K: pymatgen's factor = sigma / D = 74.165367854 / 1.1612930641e-6.
    expect(
      rel(nernstEinsteinFactor(20, 970.4143707551508, 600), 74.165367854 / 1.1612930641e-6),
    ).toBeLessThan(2e-6);
  });
  it('pymatgen fit_arrhenius reference: Ea = 0.49999999680 eV, A = 12.0000000043, std(Ea) = 0.00089556612 eV', () => {
    // Issue 3: T = [300, 1000, 500] K, D = 12 exp(-0.5 eV / k_B T) x [1.00601834013, 1.00803236262, 0.98609720824].
    const T = [300, 1000, 500];
    const noise = [1.00601834013, 1.00803236262, 0.98609720824];
    const D = T.map((t, i) => 12 * Math.exp(-0.5 / (BOLTZMANN_EV_PER_K * t)) * noise[i]);
    const f = fitArrhenius(T, D);
    expect(rel(f.activationEv.value, 0.4999999968)).toBeLessThan(1e-9);
    expect(rel(f.prefactor, 12.0000000043)).toBeLessThan(1e-9);
    expect(rel(f.activationEv.std, 0.00089556612)).toBeLessThan(1e-7);
  });
  it('extrapolation: exact data give the model back; the interval widens away from the data', () => {
    const T = [500, 600, 700, 800];
    const D = T.map((t) => 3e-3 * Math.exp(-0.3 / (BOLTZMANN_EV_PER_K * t)));
    const f = fitArrheniusWeighted(
      T,
      D,
      D.map((d) => 0.05 * d),
    );
    const at300 = extrapolate(f, 300);
    expect(rel(at300.value, 3e-3 * Math.exp(-0.3 / (BOLTZMANN_EV_PER_K * 300)))).toBeLessThan(1e-10);
    const at650 = extrapolate(f, 650);
    expect(at300.high95 / at300.value).toBeGreaterThan(at650.high95 / at650.value);
    expect(rel(f.activationEv.value, 0.3)).toBeLessThan(1e-10);
  });
});

describe('probability density grid', () => {
  it('integrates to 1 and puts a still atom on its nearest grid point', () => {
    const L = Lattice.fromParameters({ a: 6, b: 7, c: 8, alpha: 80, beta: 95, gamma: 110 });
    const acc = new DensityGridAccumulator(L, 0.5, Uint32Array.of(0, 1));
    const u = seededRandom(9);
    const pos = new Float64Array(6);
    for (let t = 0; t < 50; t++) {
      const f = Float64Array.of(0.26, 0.5, 0.74, u(), u(), u());
      acc.push({ positions: L.toCartesian(f, pos), lattice: L });
    }
    const g = acc.result();
    expect(g.shape).toEqual([12, 14, 16]);
    const n = g.values.length;
    const integral = (g.values.reduce((a, v) => a + v, 0) * L.volume) / n;
    expect(integral).toBeCloseTo(1, 12);
    // Atom 0 sits at fractional (0.26, 0.5, 0.74) = grid (3.12, 7, 11.84): nearest point (3, 7, 12).
    const still = g.values[3 + 12 * (7 + 14 * 12)] * (L.volume / n);
    expect(still).toBeGreaterThanOrEqual(0.5);
  });
});

describe('DisplacementRecorder: unwrapped float32 positions kept in single precision', () => {
  // 3 analysed atoms and 2 framework atoms, 2,148 frames: more than one block of 2,048.
  const T = 2148;
  const natoms = 5;
  const frames = (notFloat32From: number) => {
    const gauss = seededGaussian(17);
    const p = Float64Array.from({ length: 3 * natoms }, () => Math.fround(10 * gauss()));
    return Array.from({ length: T }, (_, t) => {
      for (let j = 0; j < p.length; j++) p[j] = Math.fround(p[j] + 0.2 * gauss());
      const out = p.slice();
      // From this frame on, one value that single precision would round.
      if (t >= notFloat32From) out[3 + (t % 3)] += 1e-9;
      return out;
    });
  };
  /** Displacement less drift as double arithmetic gives it: (p_t - p_0) - drift_t. */
  const expectSeries = (ps: Float64Array[], d: ReturnType<DisplacementRecorder['result']>) => {
    for (let i = 0; i < 3; i++)
      for (let a = 0; a < 3; a++) {
        const s = d.series(i, a);
        const expected = ps.map((p, t) => p[3 * i + a] - ps[0][3 * i + a] - d.drift![3 * t + a]);
        expect(Array.from(s)).toEqual(expected);
      }
  };

  for (const [what, from, single] of [
    ['every frame float32', T, true],
    ['not float32 from frame 10 (in the first stage)', 10, false],
    ['not float32 from frame 2100 (after the first block)', 2100, false],
    ['not float32 from frame 2120 (a block and a stage partly filled)', 2120, false],
    ['not float32 from the first frame', 0, false],
  ] as const)
    it(`gives (p - p0) - drift bit for bit: ${what}`, () => {
      const ps = frames(from);
      const rec = new DisplacementRecorder(natoms, { selected: [0, 1, 2], unwrapped: true });
      for (const positions of ps) rec.push({ positions });
      const d = rec.result();
      expect(d.frames).toBe(T);
      expect(d.seriesData.origin !== undefined).toBe(single);
      expectSeries(ps, d);
      // As a worker thread reads them.
      const there = Displacements.fromSeriesData(structuredClone(d.seriesData));
      for (let a = 0; a < 3; a++) expect(there.series(2, a)).toEqual(d.series(2, a));
    });

  for (const [what, from] of [
    ['single precision', T],
    ['double precision', 0],
  ] as const)
    it(`keeps recording after a result() (${what}): staged frames that run into the next block`, () => {
      const ps = frames(from);
      const rec = new DisplacementRecorder(natoms, { selected: [0, 1, 2], unwrapped: true });
      // A result() at frame 2000 moves 16 staged frames; the next 64 then cross frame 2048.
      ps.forEach((positions, t) => {
        if (t === 2000) rec.result();
        rec.push({ positions });
      });
      expectSeries(ps, rec.result());
    });

  it('wrapped input is recorded in double precision', () => {
    const L = Lattice.cubic(30);
    const rec = new DisplacementRecorder(natoms, { selected: [0, 1, 2] });
    for (const positions of frames(T).slice(0, 50)) rec.push({ positions, lattice: L });
    expect(rec.result().seriesData.origin).toBeUndefined();
  });
});
