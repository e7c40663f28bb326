import { describe, expect, it } from 'vitest';
import {
  calculatePdf,
  calculationGrid,
  type PdfDataModel,
  sphereEnvelope,
} from '../../../src/analysis/scattering/pdf-model.js';
import {
  type CrystalPhase,
  crystalPhase,
  phaseFractions,
} from '../../../src/analysis/scattering/pdf-phase.js';
import { applyQmaxCutoff } from '../../../src/analysis/scattering/pdf-termination.js';
import { readPdfData } from '../../../src/io/gr.js';
import { readStru } from '../../../src/io/stru.js';
import { sharedFixture } from '../../helpers.js';

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>, from = 0): number => {
  let m = 0;
  for (let i = from; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};
const xray = (over: Partial<PdfDataModel> = {}): PdfDataModel => ({
  radiation: 'X',
  qmax: 0,
  qdamp: 0,
  qbroad: 0,
  dscale: 1,
  ...over,
});

/** Two atoms (A at the origin, B at distance d along x) in a cubic box too large to see images. */
const pair = (
  d: number,
  u: number,
  over: Partial<CrystalPhase> = {},
  elements = ['Li', 'Cl'],
): CrystalPhase => ({
  kind: 'crystal',
  name: 'pair',
  cell: { a: 40, b: 40, c: 40, alpha: 90, beta: 90, gamma: 90 },
  atoms: [
    { element: elements[0], xyz: [0, 0, 0], occupancy: 1, u: [u, u, u, 0, 0, 0] },
    { element: elements[1], xyz: [d / 40, 0, 0], occupancy: 1, u: [u, u, u, 0, 0, 0] },
  ],
  delta1: 0,
  delta2: 0,
  sratio: 1,
  rcut: 0,
  spdiameter: 0,
  stepcut: 0,
  pscale: 1,
  ...over,
});

/** G(r) of the two-atom box written out: one Gaussian of area 2 w_A w_B, / (N r), - 4 pi r rho0. */
const pairAnalytic = (r: number, d: number, sigma: number, fa: number, fb: number): number => {
  const fbar = (fa + fb) / 2;
  const amp = (2 * fa * fb) / (fbar * fbar);
  const gauss = Math.exp(-((r - d) ** 2) / (2 * sigma * sigma)) / (Math.sqrt(2 * Math.PI) * sigma);
  const g = Math.abs(r - d) <= 5 * sigma ? (amp * gauss) / (2 * r) : 0;
  return g - (4 * Math.PI * r * 2) / 40 ** 3;
};

describe("G(r) with PDFfit2's model", () => {
  it('equals PDFfit2 on Ni (Ni-fit.fgr, no termination) to 1e-4 everywhere', () => {
    const ref = readPdfData(sharedFixture('pdf/Ni-fit.fgr'));
    const c = calculatePdf(
      [crystalPhase(readStru(sharedFixture('pdf/Ni-srreal-test.stru')))],
      xray(),
      calculationGrid(0, 10, 0.01),
    );
    expect(c.r.length).toBe(ref.r.length);
    expect(maxDiff(c.g, ref.g)).toBeLessThan(1e-4);
  });
  it('equals PDFfit2 on rutile (TiO2_rutile-fit.fgr: Qmax 26, Qdamp, dscale, delta2, anisotropic U)', () => {
    const ref = readPdfData(sharedFixture('pdf/TiO2_rutile-fit.fgr'));
    const phase = crystalPhase(readStru(sharedFixture('pdf/TiO2_rutile-fit.stru')));
    expect(phase.delta2).toBe(2.309118);
    const data = xray({ qmax: 26, qdamp: 0.0665649, dscale: 0.655857 });
    // PDFgui made the file: its grid starts at the last data point below the fit start (0.99 A).
    const pdfgui = calculatePdf([phase], data, { rmin: 0.99, rstep: 0.01, nfmin: 1, nfmax: 2901 });
    expect(pdfgui.r[0]).toBeCloseTo(1, 12);
    expect(maxDiff(pdfgui.g, ref.g)).toBeLessThan(1e-4);
    // Started at r = 1 itself, only the first few A feel the different termination slice.
    const alloc = calculatePdf([phase], data, calculationGrid(1, 30, 0.01));
    expect(maxDiff(alloc.g, ref.g, 200)).toBeLessThan(2e-3);
  });
  it('X-ray and neutron weights, width, delta2, qbroad and sratio on a two-atom box, written out', () => {
    const d = 2.5;
    const u = 0.004;
    const grid = calculationGrid(1, 4, 0.005);
    const cases: [Partial<CrystalPhase>, Partial<PdfDataModel>, number][] = [
      [{}, {}, Math.sqrt(2 * u)],
      [{ delta2: 1.2 }, {}, Math.sqrt(2 * u) * Math.sqrt(1 - 1.2 / d ** 2)],
      [{ delta1: 0.4 }, { qbroad: 0.05 }, Math.sqrt(2 * u) * Math.sqrt(1 - 0.4 / d + 0.05 ** 2 * d ** 2)],
      [{ sratio: 0.7, rcut: 3 }, {}, 0.7 * Math.sqrt(2 * u)],
    ];
    for (const [ph, ds, sigma] of cases) {
      for (const [radiation, fa, fb] of [
        ['X', 3, 17],
        ['N', -1.903, 9.57928],
      ] as const) {
        const c = calculatePdf([pair(d, u, ph)], xray({ ...ds, radiation }), grid);
        const want = Array.from(c.r, (r) => pairAnalytic(r, d, sigma, fa, fb));
        // Within 2e-5: the two differ only where PDFfit2 cuts the Gaussian (+-5 sigma, rounded to the grid).
        expect(maxDiff(c.g, want)).toBeLessThan(2e-5);
        const peak = c.r.findIndex((r) => Math.abs(r - d) < 1e-9);
        expect(c.g[peak]).toBeCloseTo(want[peak], 12);
      }
    }
  });
  it('an anisotropic U widens a pair only along its direction', () => {
    const grid = calculationGrid(1, 4, 0.005);
    const along = pair(2.5, 0.004);
    along.atoms[1].u = [0.012, 0.004, 0.004, 0, 0, 0];
    const across = pair(2.5, 0.004);
    across.atoms[1].u = [0.004, 0.012, 0.012, 0, 0, 0];
    const cAlong = calculatePdf([along], xray(), grid);
    const cAcross = calculatePdf([across], xray(), grid);
    expect(
      maxDiff(
        cAlong.g,
        Array.from(cAlong.r, (r) => pairAnalytic(r, 2.5, Math.sqrt(0.016), 3, 17)),
      ),
    ).toBeLessThan(1e-9);
    expect(
      maxDiff(
        cAcross.g,
        Array.from(cAcross.r, (r) => pairAnalytic(r, 2.5, Math.sqrt(0.008), 3, 17)),
      ),
    ).toBeLessThan(1e-9);
  });
  it('Qdamp, spdiameter and dscale * pscale are the envelopes written out', () => {
    const phase = crystalPhase(readStru(sharedFixture('pdf/Ni.stru')));
    const grid = calculationGrid(1, 20, 0.01);
    const bare = calculatePdf([phase], xray(), grid);
    const shaped = calculatePdf(
      [{ ...phase, spdiameter: 30, pscale: 0.8 }],
      xray({ qdamp: 0.05, dscale: 1.5 }),
      grid,
    );
    const want = Array.from(
      bare.r,
      (r, i) => 1.2 * bare.g[i] * Math.exp(-((r * 0.05) ** 2) / 2) * sphereEnvelope(r, 30),
    );
    expect(maxDiff(shaped.g, want)).toBeLessThan(1e-12);
    expect(sphereEnvelope(15, 30)).toBeCloseTo(1 - 0.75 + 0.0625, 15);
    expect(sphereEnvelope(30, 30)).toBe(0);
  });
  it('Qmax termination agrees with a direct sine transform cut at Qmax', () => {
    const dr = 0.01;
    const n = 800; // r = 1 .. 9
    const r = Float64Array.from({ length: n }, (_, i) => 1 + i * dr);
    const peak = (x: number) => Math.exp(-((x - 5) ** 2) / (2 * 0.05 ** 2));
    const y = Float64Array.from(r, peak);
    const qmax = 20;
    applyQmaxCutoff(y, 0, n, dr, qmax);
    // Direct: F(Q) = int G(r) sin(Qr) dr, G_t(r) = 2/pi int_0^Qmax F(Q) sin(Qr) dQ.
    const dq = 0.01;
    const F: number[] = [];
    for (let q = dq / 2; q < qmax; q += dq) {
      let s = 0;
      for (let i = 0; i < n; i++) s += peak(r[i]) * Math.sin(q * r[i]) * dr;
      F.push(s);
    }
    let worst = 0;
    for (let i = 300; i <= 500; i += 5) {
      let s = 0;
      F.forEach((f, k) => {
        s += f * Math.sin((k + 0.5) * dq * r[i]) * dq;
      });
      worst = Math.max(worst, Math.abs((2 / Math.PI) * s - y[i]));
    }
    // PDFfit2's cut is within one dQ of Qmax (dQ = 2 pi / ((padlen - 1) dr) = 0.31 here).
    expect(worst).toBeLessThan(0.01);
  });
  it('phase fractions as PDFfit2: atom ~ pscale / <f>^2, cells / atoms per cell, mass x mean mass', () => {
    const ni = crystalPhase(readStru(sharedFixture('pdf/Ni.stru')));
    const rut = crystalPhase(readStru(sharedFixture('pdf/TiO2_rutile-fit.stru')));
    const f = phaseFractions(
      [
        { ...ni, pscale: 0.5 },
        { ...rut, pscale: 0.25 },
      ],
      'X',
    );
    const fTi = (22 * 2 + 8 * 4) / 6;
    const xa = [0.5 / 28 ** 2, 0.25 / fTi ** 2];
    expect(f.atom[0].value).toBeCloseTo(xa[0] / (xa[0] + xa[1]), 12);
    const xc = [xa[0] / 4, xa[1] / 6];
    expect(f.cell[1].value).toBeCloseTo(xc[1] / (xc[0] + xc[1]), 12);
    expect(f.mass[0].value + f.mass[1].value).toBeCloseTo(1, 12);
  });
  it('refuses a phase with no atoms', () => {
    expect(() =>
      calculatePdf([{ ...pair(2, 0.01), atoms: [] }], xray(), calculationGrid(1, 3, 0.01)),
    ).toThrow(/no atoms/);
  });
});
