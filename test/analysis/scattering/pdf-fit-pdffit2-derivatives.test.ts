import { describe, expect, it } from 'vitest';
import { refinePdf } from '../../../src/analysis/scattering/pdf-fit.js';
import { tutorialFits, tutorialSetup } from './pdffit2-tutorials.js';

// PDFgui's CdSe bulk fit with PDFfit2's own analytic derivatives (refinePdf derivatives: 'pdffit2')
// against the real PDFfit2 (test/reference/scattering/pdffit2/make-tutorials.py): the same path, the
// same result, where our exact derivatives reach a lower chi^2 (pdf-fit-tutorials.test.ts).

const fits = tutorialFits();
const setup = tutorialSetup;

describe("PDFfit2's analytic derivatives", () => {
  it("cdse-bulk with PDFfit2's own analytic derivatives follows PDFfit2 to its result (within 0.1 sigma)", () => {
    const f = fits.find((x) => x.name === 'cdse-bulk')!;
    const res = refinePdf({ ...setup(f, f.parametersStart), derivatives: 'pdffit2' });
    expect(res.converged).toBe(true);
    for (const p of res.parameters) {
      const sigma = f.converged.stdFromJacobian[String(p.id)];
      expect(Math.abs(p.value - f.converged.refined[String(p.id)]) / sigma).toBeLessThan(0.1);
    }
    expect(res.rw / f.converged.rw).toBeCloseTo(1, 6);
  }, 120_000);
});
