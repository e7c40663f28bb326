import { describe, expect, it } from 'vitest';
import { DebyeAccumulator } from '../../../src/analysis/scattering/debye.js';
import { mdPdf } from '../../../src/analysis/scattering/md-pdf.js';
import {
  fqFromGr,
  grFromFq,
  totalScatteringFromPdf,
} from '../../../src/analysis/scattering/structure-factor.js';
import { supercell } from '../../../src/builders/supercell.js';
import { OptionError } from '../../../src/core/errors.js';
import { fixture, readAll } from '../../helpers.js';

const NPT = fixture('rdf/laoc-npt.lammpstrj');

describe('G(r) <-> F(Q)', () => {
  it('the two transforms are inverses on the sine-transform grids (round trip to 1e-12)', async () => {
    const [s] = await readAll(NPT);
    const pdf = await mdPdf([s], { rMaxA: 10, drA: 0.01, uIsoA2: 0.003 });
    const N = pdf.rA.length - 1;
    const dr = pdf.rA[1];
    const q = Float64Array.from({ length: N + 1 }, (_, k) => (k * Math.PI) / (N * dr));
    const f = fqFromGr(pdf.rA, pdf.g, q);
    const back = grFromFq(q, f, pdf.rA);
    const g = pdf.g.slice();
    g[N] = 0; // the end point: sin(Q_k r_N) = 0, so the transform cannot hold it
    let m = 0;
    for (let k = 0; k < N; k++) m = Math.max(m, Math.abs(back[k] - g[k]));
    expect(m).toBeLessThan(1e-12 * Math.max(...g.map(Math.abs)) * N);
    // And the other way: F -> G -> F.
    const f2 = fqFromGr(pdf.rA, grFromFq(q, f, pdf.rA), q);
    for (let k = 1; k < N; k += 97) expect(f2[k]).toBeCloseTo(f[k], 9);
  });

  it('a Gaussian pair peak: F(Q) is its analytic transform', () => {
    // G(r) = A exp(-(r - r0)^2 / 2 s^2): F(Q) = A s sqrt(2 pi) exp(-Q^2 s^2 / 2) sin(Q r0) (tails ~ 0 at r = 0).
    const r = Float64Array.from({ length: 2001 }, (_, i) => i * 0.005);
    const g = r.map((x) => 2 * Math.exp(-((x - 3) ** 2) / (2 * 0.1 ** 2)));
    const q = [1, 5, 12.5];
    const f = fqFromGr(r, g, q);
    for (const [k, qq] of q.entries())
      expect(f[k]).toBeCloseTo(
        2 * 0.1 * Math.sqrt(2 * Math.PI) * Math.exp(-(qq * qq * 0.01) / 2) * Math.sin(qq * 3),
        9,
      );
    expect(() => fqFromGr([0, 1, 3], [0, 0, 0], [1])).toThrow(OptionError);
  });
});

describe('S(Q) of an MD model', () => {
  it('constant weights: the Faber-Ziman sum of partials equals the transform of the total G', async () => {
    const frames = (await readAll(NPT)).slice(0, 2);
    const pdf = await mdPdf(frames, { rMaxA: 12 });
    const q = Float64Array.from({ length: 60 }, (_, k) => 0.5 + k * 0.4);
    for (const w of [{ radiation: 'X', formFactor: 'z' }, { radiation: 'N' }] as const) {
      const pdfW = w.radiation === 'N' ? await mdPdf(frames, { rMaxA: 12, radiation: 'N' }) : pdf;
      const sq = totalScatteringFromPdf(pdf, q, w, 'lorch');
      const direct = fqFromGr(pdfW.rA, pdfW.g, q, 'lorch');
      for (let k = 0; k < q.length; k++) expect(sq.f[k]).toBeCloseTo(direct[k], 8);
    }
  });

  it("X-ray S(Q) with pymatgen's f(Q) agrees with the Debye equation of large cut-outs beyond the small-angle region", async () => {
    const frames = (await readAll(NPT)).slice(0, 3).map((s) => supercell(s, [2, 2, 2]));
    const q = Float64Array.from({ length: 23 }, (_, k) => 2.5 + k * 0.5);
    const pdf = await mdPdf(frames, { rMaxA: 16, drA: 0.01 });
    const sq = totalScatteringFromPdf(pdf, q, { radiation: 'X', formFactor: 'pymatgen' }, 'lorch');
    const debye = new DebyeAccumulator(frames[0].topology, {
      qInvA: q,
      sphereDiameterA: 32,
      sphereCentres: 2,
    });
    for (const f of frames) debye.push(f.frame);
    const d = debye.result();
    // Two estimates of one S(Q): the Lorch window (r <= 16 A) and the finite spheres (32 A) each
    // blur it a little; from Q = 2.5 1/A on (below, the spheres' own small-angle scattering and the
    // window's resolution differ most: 0.065 at Q = 2, 0.084 at 1.5) they agree to a few hundredths, on curves
    // that swing by 0.3 around 1.
    let m = 0;
    for (let k = 0; k < q.length; k++) m = Math.max(m, Math.abs(sq.s[k] - d.structureFactor[k]));
    expect(m).toBeLessThan(0.04);
    expect(sq.partials.map((p) => p.name)).toEqual(pdf.partials.map((p) => p.name));
  });
});
