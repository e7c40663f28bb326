import { describe, expect, it } from 'vitest';
import { MdPdfAccumulator, mdPdf } from '../../../src/analysis/scattering/md-pdf.js';
import { mdProfilePhase } from '../../../src/analysis/scattering/md-scattering-report.js';
import { calculatePdf, sphereEnvelope } from '../../../src/analysis/scattering/pdf-model.js';
import { crystalPhase, scatteringFactor } from '../../../src/analysis/scattering/pdf-phase.js';
import { supercell } from '../../../src/builders/supercell.js';
import { OptionError } from '../../../src/core/errors.js';
import type { Structure } from '../../../src/core/frame.js';
import { Lattice } from '../../../src/core/lattice.js';
import { Topology } from '../../../src/core/topology.js';
import { readCifCrystal } from '../../../src/io/formats/cif-sites.js';
import { fixture, readAll, sharedFixture } from '../../helpers.js';

const TRICLINIC = fixture('rdf/laoc-triclinic.lammpstrj');
const NPT = fixture('rdf/laoc-npt.lammpstrj');

/**
 * G(r) by the definition, pair by pair: every ordered pair (i, j + n) of distinct points within
 * rmax, weight w_i w_j, binned as the output grid bins (r_j - dr/2, r_j + dr/2] or spread as a
 * Gaussian of sigma^2 = 2U; the whole cell against every image n in reach.
 */
const bruteForce = (frames: Structure[], rMax: number, dr: number, u: number, radiation: 'X' | 'N') => {
  const t = frames[0].topology;
  const n = t.natoms;
  const f = Array.from({ length: n }, (_, i) => scatteringFactor(t.symbol(i), radiation));
  const meanF = f.reduce((a, b) => a + b) / n;
  const w = f.map((x) => x / meanF);
  const J = Math.round(rMax / dr) + 1;
  const acc = new Float64Array(J);
  let vol = 0;
  for (const s of frames) {
    const L = s.frame.lattice!;
    vol += L.volume;
    const M = L.matrix;
    const reach = L.perpendicularWidths.map((wd) => Math.ceil((rMax + 1) / wd) + 1);
    const p = s.frame.positions;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        for (let a = -reach[0]; a <= reach[0]; a++)
          for (let b = -reach[1]; b <= reach[1]; b++)
            for (let c = -reach[2]; c <= reach[2]; c++) {
              if (i === j && a === 0 && b === 0 && c === 0) continue;
              const dx = p[3 * j] + a * M[0] + b * M[3] + c * M[6] - p[3 * i];
              const dy = p[3 * j + 1] + a * M[1] + b * M[4] + c * M[7] - p[3 * i + 1];
              const dz = p[3 * j + 2] + a * M[2] + b * M[5] + c * M[8] - p[3 * i + 2];
              const r = Math.hypot(dx, dy, dz);
              if (r > rMax + 1) continue;
              const ww = w[i] * w[j];
              if (u === 0) {
                const k = Math.round(r / dr);
                if (k < J) acc[k] += ww / dr;
              } else {
                const s2 = 2 * u;
                const k0 = Math.max(1, Math.floor((r - 6 * Math.sqrt(s2)) / dr));
                const k1 = Math.min(J - 1, Math.ceil((r + 6 * Math.sqrt(s2)) / dr));
                for (let k = k0; k <= k1; k++)
                  acc[k] += (ww * Math.exp(-((k * dr - r) ** 2) / (2 * s2))) / Math.sqrt(2 * Math.PI * s2);
              }
            }
  }
  const rho = n / (vol / frames.length);
  return Float64Array.from({ length: J }, (_, k) =>
    k === 0 ? 0 : acc[k] / (frames.length * n * k * dr) - 4 * Math.PI * k * dr * rho,
  );
};

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>, from = 1) => {
  let m = 0;
  for (let k = from; k < a.length; k++) m = Math.max(m, Math.abs(a[k] - b[k]));
  return m;
};

describe('G(r) of MD frames (periodic route) equals the pair-by-pair definition', () => {
  it('triclinic LAOC cell, U = 0.004 A^2, X-ray and neutron, rmax beyond the cell width', async () => {
    const frames = (await readAll(TRICLINIC)).slice(0, 1);
    for (const radiation of ['X', 'N'] as const) {
      const r = await mdPdf(frames, { rMaxA: 12, uIsoA2: 0.004, radiation });
      const ref = bruteForce(frames, 12, 0.01, 0.004, radiation);
      expect(r.g).toHaveLength(ref.length);
      // The counting bin (0.001 A) moves each pair by at most 0.0005 A.
      expect(maxDiff(r.g, ref)).toBeLessThan(2e-3 * Math.max(...ref.map(Math.abs)));
      const sum = new Float64Array(r.g.length);
      for (const p of r.partials) for (let k = 0; k < sum.length; k++) sum[k] += p.g[k];
      expect(maxDiff(sum, r.g, 0)).toBeLessThan(1e-9);
    }
  });

  it('U = 0: pair counts binned on the output grid', async () => {
    const frames = (await readAll(NPT)).slice(0, 1);
    const r = await mdPdf(frames, { rMaxA: 6, drA: 0.02 });
    const ref = bruteForce(frames, 6, 0.02, 0, 'X');
    // Only pairs within a counting bin of a grid edge may fall on the other side.
    let off = 0;
    for (let k = 1; k < ref.length; k++) if (Math.abs(r.g[k] - ref[k]) > 1e-9) off++;
    expect(off).toBeLessThan(0.02 * ref.length);
    expect(Math.abs(r.g.reduce((a, b) => a + b) - ref.reduce((a, b) => a + b))).toBeLessThan(
      1e-6 * ref.length,
    );
  });
});

describe("a crystal as one frame equals PDFfit2's model (scatter pdf's calculatePdf)", () => {
  it('monoclinic LiAlCl4, isotropic U 0.01 A^2, without and with Qmax 25 / Qdamp 0.03; closer with finer counting bins', async () => {
    const file = sharedFixture('structures/LiAlCl4_COD1004036.cif');
    const frames = await readAll(file);
    const phase = crystalPhase(readCifCrystal(file, { defaultUiso: 0.01 }));
    for (const [qmax, qdamp] of [
      [0, 0],
      [25, 0.03],
    ]) {
      const ref = calculatePdf(
        [phase],
        { radiation: 'X', qmax, qdamp, qbroad: 0, dscale: 1 },
        { rmin: 0.01, rstep: 0.01, nfmin: 0, nfmax: 1199 },
      );
      const scale = Math.max(...ref.g.map(Math.abs));
      const diff = async (histogramBinA: number) => {
        const md = await mdPdf(frames, {
          rMaxA: 12,
          uIsoA2: 0.01,
          qmaxInvA: qmax,
          qdampInvA: qdamp,
          histogramBinA,
        });
        let m = 0;
        // From r = 1 A: PDFfit2 starts its termination range at rmin, this route at 0.
        for (let i = 99; i < ref.r.length; i++) m = Math.max(m, Math.abs(ref.g[i] - md.g[i + 1]));
        return m / scale;
      };
      const coarse = await diff(0.001);
      const fine = await diff(0.0001);
      expect(coarse).toBeLessThan(1.5e-3);
      expect(fine).toBeLessThan(2e-4);
    }
  });
});

describe('an MD model as a phase of scatter pdf (mdProfilePhase)', () => {
  it("the PDFfit2 data model applied to the profile gives pdf-md's own G(r), with Qdamp", async () => {
    const phase = await mdProfilePhase(NPT, {
      rMaxA: 8.1,
      uIsoA2: 0.004,
      read: { frames: { start: 0, stop: 2 } },
    });
    expect(phase.composition).toEqual({ Al: 48, O: 32, Cl: 128, Li: 48 });
    const ref = calculatePdf(
      [phase],
      { radiation: 'X', qmax: 0, qdamp: 0.03, qbroad: 0, dscale: 1 },
      { rmin: 0.01, rstep: 0.01, nfmin: 0, nfmax: 799 },
    );
    const md = await mdPdf((await readAll(NPT)).slice(0, 2), { rMaxA: 8, uIsoA2: 0.004, qdampInvA: 0.03 });
    for (let i = 0; i < ref.r.length; i++) expect(ref.g[i]).toBeCloseTo(md.g[i + 1], 10);
  });
});

describe('worker threads', () => {
  it('two threads count the same pairs as one (2048 atoms, bit for bit)', async () => {
    const frames = (await readAll(NPT)).slice(0, 3).map((s) => supercell(s, [2, 2, 2]));
    const one = await mdPdf(frames, { rMaxA: 6, threads: 1 });
    const two = await mdPdf(frames, { rMaxA: 6, threads: 2 });
    expect(Array.from(two.g)).toEqual(Array.from(one.g));
  });
});

describe('the two routes agree for a large cell', () => {
  it('2x2x2 LAOC glass (2048 atoms, 36 A cell): periodic vs spherical cut-outs, G to rmax 10 A', async () => {
    // 5 frames x 32 cut-outs of 36 A: the sphere route's noise (which falls as the cut-outs add
    // up: Rw 0.053 with 2 x 8, 0.043 with 5 x 8, 0.008 with 5 x 32) is below the bound.
    const frames = (await readAll(NPT)).map((s) => supercell(s, [2, 2, 2]));
    const o = { rMaxA: 10, uIsoA2: 0.003 };
    const a = await mdPdf(frames, { ...o, route: 'periodic' });
    const b = await mdPdf(frames, { ...o, route: 'sphere', sphereCentres: 32 });
    expect(b.samples).toBe(5 * 32);
    expect(b.sphereDiameterA).toBeCloseTo(frames[0].frame.lattice!.perpendicularWidths[0], 6);
    const scale = Math.max(...a.g.map(Math.abs));
    let num = 0;
    let den = 0;
    for (let k = 0; k < a.g.length; k++) {
      num += (a.g[k] - b.g[k]) ** 2;
      den += a.g[k] ** 2;
    }
    const rw = Math.sqrt(num / den);
    expect(rw).toBeLessThan(0.02);
    expect(maxDiff(a.g, b.g)).toBeLessThan(0.05 * scale);
  });
});

describe('envelopes, options and errors', () => {
  it('Qdamp multiplies by exp(-(r Qdamp)^2 / 2); Qmax termination keeps the curve near', async () => {
    const frames = (await readAll(NPT)).slice(0, 1);
    const plain = await mdPdf(frames, { rMaxA: 8, uIsoA2: 0.005 });
    const damped = await mdPdf(frames, { rMaxA: 8, uIsoA2: 0.005, qdampInvA: 0.05 });
    for (const k of [100, 400, 800])
      expect(damped.g[k]).toBeCloseTo(plain.g[k] * Math.exp(-0.5 * (plain.rA[k] * 0.05) ** 2), 10);
    const cut = await mdPdf(frames, { rMaxA: 8, uIsoA2: 0.005, qmaxInvA: 25 });
    // Peaks of sigma 0.1 A hold little beyond Q = 25 1/A: the termination changes G a little.
    const scale = Math.max(...plain.g.map(Math.abs));
    expect(maxDiff(cut.g, plain.g, 100)).toBeLessThan(0.05 * scale);
    expect(maxDiff(cut.g, plain.g, 100)).toBeGreaterThan(1e-4 * scale);
  });

  it('an ideal gas has G near 0; the sphere envelope is PDFfit2s', async () => {
    expect(sphereEnvelope(0, 10)).toBe(1);
    expect(sphereEnvelope(5, 10)).toBeCloseTo(1 - 0.75 + 0.0625, 12);
    expect(sphereEnvelope(10, 10)).toBe(0);
    let seed = 7;
    const rand = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const n = 4000;
    const L = 40;
    const positions = Float64Array.from({ length: 3 * n }, () => rand() * L);
    const topology = new Topology({ symbols: Array.from({ length: n }, (_, i) => (i % 2 ? 'Cl' : 'Li')) });
    const r = await mdPdf([{ topology, frame: { positions, lattice: Lattice.cubic(L) } }], {
      rMaxA: 10,
      drA: 0.1,
      uIsoA2: 0.01,
    });
    // Noise of a random gas only: |G| << 4 pi r rho0 (~ 8 at 10 A).
    const g10 = 4 * Math.PI * 10 * (n / L ** 3);
    expect(maxDiff(r.g, new Float64Array(r.g.length), 20)).toBeLessThan(0.1 * g10);
  });

  it('bad options are OptionErrors', async () => {
    const frames = (await readAll(NPT)).slice(0, 1);
    const t = frames[0].topology;
    expect(() => new MdPdfAccumulator(t, { rMaxA: -1 })).toThrow(OptionError);
    expect(() => new MdPdfAccumulator(t, { qmaxInvA: -1 })).toThrow(OptionError);
    expect(() => new MdPdfAccumulator(t, { route: 'sphere', rMaxA: 10, sphereDiameterA: 8 })).toThrow(
      /must be wider/,
    );
    expect(() => new MdPdfAccumulator(t, { route: 'x' as 'sphere' })).toThrow(OptionError);
  });
});
