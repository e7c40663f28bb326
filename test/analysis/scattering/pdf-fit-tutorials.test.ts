import { describe, expect, it } from 'vitest';
import { refinePdf } from '../../../src/analysis/scattering/pdf-fit.js';
import { tutorialFits, tutorialSetup } from './pdffit2-tutorials.js';

// PDFgui's tutorials refined by the real PDFfit2 (test/reference/scattering/pdffit2/make-tutorials.py)
// against our refinement from the same start, constraints and data.

const fits = tutorialFits();
const setup = tutorialSetup;

describe('PDFgui tutorials against the real PDFfit2', () => {
  for (const name of ['ni-lesson1', 'ni-lesson4-delta2'])
    it(`${name}: refined values equal PDFfit2's within 1 % of their standard errors`, () => {
      const f = fits.find((x) => x.name === name)!;
      const res = refinePdf(setup(f, f.parametersStart));
      expect(res.converged).toBe(true);
      expect(res.points).toBe(f.converged.points);
      for (const p of res.parameters) {
        const sigma = f.converged.stdFromJacobian[String(p.id)];
        expect(Math.abs(p.value - f.converged.refined[String(p.id)]) / sigma).toBeLessThan(0.01);
        expect(p.sigma / sigma).toBeCloseTo(1, 2);
      }
      expect(res.rw).toBeCloseTo(f.converged.rw, 6);
      expect(res.reducedChi2 / f.converged.reducedChi2).toBeCloseTo(1, 5);
    });

  for (const name of ['cdse-bulk', 'cdse-3nm'])
    it(`${name}: at PDFfit2's refined values our G(r) and Rw are PDFfit2's; our refinement reaches a lower chi^2`, () => {
      const f = fits.find((x) => x.name === name)!;
      const at = refinePdf(setup(f, f.converged.refined), { refine: false });
      const d = at.datasets[0];
      let worst = 0;
      f.converged.r.forEach((r, k) => {
        const i = k * f.converged.curveEvery;
        expect(d.r[i]).toBeCloseTo(r, 9);
        worst = Math.max(worst, Math.abs(d.gcalc[i] - f.converged.Gcalc[k]));
      });
      expect(worst).toBeLessThan(1e-6);
      expect(at.rw / f.converged.rw).toBeCloseTo(1, 6);
      // PDFfit2's analytic derivatives of G by U assume an orthogonal cell (pdf.cc pdf_derivative:
      // d sigma'^2 / dU_kk = (a_k dx_k)^2 / r^2, not (a*_k (G dx)_k)^2 / r^2), so in this hexagonal
      // cell it stops short of the least-squares minimum: our refinement, from the same start,
      // goes below its chi^2.
      const ours = refinePdf(setup(f, f.parametersStart));
      expect(ours.converged).toBe(true);
      expect(ours.rw).toBeLessThan(f.converged.rw);
    });
});
