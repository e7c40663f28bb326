import { describe, expect, it } from 'vitest';
import { VacfAccumulator, vacf } from '../../../src/analysis/dynamics/vacf.js';
import type { Frame } from '../../../src/core/frame.js';
import { Lattice } from '../../../src/core/lattice.js';
import { SeededRandom } from '../../../src/core/random.js';
import { Topology } from '../../../src/core/topology.js';
import { AMU_KG, BOLTZMANN_J_PER_K } from '../../../src/core/units.js';

/**
 * Independent isotropic 3D harmonic oscillators, integrated exactly: atom i of element e moves as
 * x = x0 + A cos(2 pi nu_e t + phi) per axis, v = -2 pi nu_e A sin(...), with A set so that each
 * axis carries k_B T / 2 of kinetic energy on average (equipartition at 300 K) and random phases.
 * Li at 8 THz, Cl at 3 THz, one O at 15 THz.
 */
const NLI = 20;
const NCL = 30;
const NU: Record<string, number> = { Li: 8, Cl: 3, O: 15 };
const symbols = [...Array(NLI).fill('Li'), ...Array(NCL).fill('Cl'), 'O'];
const topology = new Topology({ symbols });
const lattice = Lattice.cubic(40);

const oscillators = (frames: number, dtFs: number, seed = 1) => {
  const rng = new SeededRandom(seed);
  const n = symbols.length;
  const x0 = Float64Array.from({ length: 3 * n }, () => 40 * rng.uniform());
  const phase = Float64Array.from({ length: 3 * n }, () => 2 * Math.PI * rng.uniform());
  // <v^2> per axis = (2 pi nu A)^2 / 2 = kT / m  ->  A = sqrt(2 kT / m) / (2 pi nu); nu in 1/fs.
  const kT = BOLTZMANN_J_PER_K * 300; // J
  const amp = Float64Array.from({ length: 3 * n }, (_, j) => {
    const i = Math.floor(j / 3);
    const mKg = topology.masses[i] * AMU_KG;
    const vRms = Math.sqrt(kT / mKg) * 1e-5; // m/s -> A/fs
    return (Math.SQRT2 * vRms) / (2 * Math.PI * NU[symbols[i]] * 1e-3);
  });
  return (withVelocities: boolean, unwrapped: boolean): Frame[] =>
    Array.from({ length: frames }, (_, k) => {
      const t = k * dtFs;
      const positions = new Float64Array(3 * n);
      const velocities = new Float64Array(3 * n);
      for (let j = 0; j < 3 * n; j++) {
        const w = 2 * Math.PI * NU[symbols[Math.floor(j / 3)]] * 1e-3;
        positions[j] = x0[j] + amp[j] * Math.cos(w * t + phase[j]);
        velocities[j] = -w * amp[j] * Math.sin(w * t + phase[j]);
      }
      const f: Frame = { positions, lattice, timeFs: t, unwrapped };
      if (withVelocities) f.velocities = velocities;
      return f;
    });
};

const peak = (nu: Float64Array, g: Float64Array) => {
  let best = 0;
  for (let k = 1; k < g.length; k++) if (g[k] > g[best]) best = k;
  return nu[best];
};

describe('VACF and VDOS of harmonic oscillators with known frequencies', () => {
  const make = oscillators(5000, 2);
  it('from stored velocities: peaks at 8, 3 and 15 THz, total integral 3N, partials 3 N_e, 300 K', () => {
    const r = vacf(topology, make(true, false));
    expect(r.velocitiesFrom).toBe('stored velocities');
    expect(r.samples).toBe(5000);
    expect(r.frameIntervalFs).toBe(2);
    expect(r.maxLagPs).toBeCloseTo(2, 12);
    const h = r.frequenciesTHz[1] - r.frequenciesTHz[0];
    let integral = 0;
    for (let k = 1; k < r.totalDosPerTHz.length; k++)
      integral += 0.5 * (r.totalDosPerTHz[k - 1] + r.totalDosPerTHz[k]) * h;
    expect(integral).toBeCloseTo(3 * 51, 9);
    for (const e of r.elements) {
      expect(Math.abs(peak(r.frequenciesTHz, e.dosPerTHz) - NU[e.element]), e.element).toBeLessThanOrEqual(
        r.gridTHz,
      );
      expect(Math.abs(e.dosIntegral / (3 * e.atoms) - 1), e.element).toBeLessThan(0.03);
      expect(Math.abs(e.kineticTemperatureK / 300 - 1), e.element).toBeLessThan(0.03);
    }
    // The normalised VACF of an oscillator is cos(2 pi nu t) (averaged over random phases).
    const li = r.elements[0];
    for (const m of [0, 10, 31, 62, 200])
      expect(Math.abs(li.normalised[m] - Math.cos(2 * Math.PI * 8e-3 * 2 * m)), `lag ${m}`).toBeLessThan(
        0.03,
      );
    // Nothing far from the three frequencies.
    for (const [k, nu] of r.frequenciesTHz.entries())
      if (Math.min(...Object.values(NU).map((f) => Math.abs(f - nu))) > 2)
        expect(r.totalDosPerTHz[k]).toBeLessThan(0.01 * 51);
  });

  it('equals the direct VACF sum over all origins (the block FFT is exact), also across block ends', () => {
    const frames = oscillators(1300, 2, 7)(true, false);
    const r = vacf(topology, frames, { elements: ['Cl'], maxLagFs: 600 });
    const cl = r.elements[0];
    expect(cl.atoms).toBe(NCL);
    for (const m of [0, 1, 150, 299, 300]) {
      let s = 0;
      for (let t = 0; t + m < frames.length; t++)
        for (let i = NLI; i < NLI + NCL; i++)
          for (let c = 0; c < 3; c++)
            s += frames[t].velocities![3 * i + c] * frames[t + m].velocities![3 * i + c];
      expect(cl.vacf[m] / (s / ((frames.length - m) * NCL)) - 1, `lag ${m}`).toBeCloseTo(0, 11);
    }
  });

  it('from unwrapped positions by central differences: the same peaks, total 3N, and it says so', () => {
    const r = vacf(topology, make(false, true));
    expect(r.velocitiesFrom).toBe('central differences of unwrapped positions');
    expect(r.samples).toBe(4998);
    for (const e of r.elements)
      expect(Math.abs(peak(r.frequenciesTHz, e.dosPerTHz) - NU[e.element])).toBeLessThanOrEqual(r.gridTHz);
    const total = r.elements.reduce((s, e) => s + e.dosIntegral, 0);
    expect(total).toBeCloseTo(153, 9);
    expect(r.notes.join(' ')).toMatch(/central differences/);
  });

  it('wrapped positions differenced by the minimum image equal unwrapped ones', () => {
    const frames = make(false, true).slice(0, 600);
    const wrapped = frames.map((f) => {
      const p = f.positions.map((v) => v - 40 * Math.floor(v / 40));
      return { ...f, positions: p, unwrapped: false };
    });
    const a = vacf(topology, frames, { maxLagFs: 400 });
    const b = vacf(topology, wrapped, { maxLagFs: 400, unwrapped: false });
    expect(b.velocitiesFrom).toBe('central differences of positions (minimum image)');
    for (let m = 0; m < a.elements[0].vacf.length; m++)
      expect(b.elements[0].vacf[m]).toBeCloseTo(a.elements[0].vacf[m], 10);
  });
});

describe('bad input', () => {
  it('names the cause: elements absent, no velocities and positions not unwrapped, no times', () => {
    expect(() => new VacfAccumulator(topology, { elements: ['Na'] })).toThrow(
      /no Na atoms in the run \(it has Li, Cl, O\)/,
    );
    const frames = oscillators(10, 2)(false, false);
    expect(() => vacf(topology, frames)).toThrow(
      /the frames have no velocities and their positions are not unwrapped/,
    );
    const noTimes = oscillators(10, 2)(true, false).map((f) => ({ ...f, timeFs: undefined }));
    expect(() => vacf(topology, noTimes)).toThrow(/carry no times/);
    const mixed = oscillators(10, 2)(true, false);
    delete mixed[5].velocities;
    expect(() => vacf(topology, mixed)).toThrow(/frame 5 has no velocities, unlike the first/);
  });
});
