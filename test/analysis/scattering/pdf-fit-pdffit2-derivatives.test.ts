import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { refinePdf } from '../../../src/analysis/scattering/pdf-fit.js';
import { crystalPhase } from '../../../src/analysis/scattering/pdf-phase.js';
import { readPdfData } from '../../../src/io/gr.js';
import { readStru } from '../../../src/io/stru.js';
import { fixture, sharedFixture } from '../../helpers.js';

// PDFgui's CdSe bulk fit with PDFfit2's own analytic derivatives (refinePdf derivatives: 'pdffit2')
// against the real PDFfit2 (test/reference/scattering/pdffit2/make-tutorials.py): the same path, the
// same result, where our exact derivatives reach a lower chi^2 (pdf-fit-tutorials.test.ts).

interface Run {
  refined: Record<string, number>;
  stdFromJacobian: Record<string, number>;
  rw: number;
  reducedChi2: number;
  points: number;
  r: number[];
  Gcalc: number[];
  curveEvery: number;
}
interface Tutorial {
  name: string;
  data: string;
  structure: string;
  qmax: number;
  qdampStart: number;
  fitrmin: number;
  fitrmax: number;
  phaseConstraints: Record<string, string>;
  dataConstraints: Record<string, string>;
  parametersStart: Record<string, number>;
  converged: Run;
}
const fits = (
  JSON.parse(readFileSync(fixture('scattering/pdffit2/pdffit2-tutorials.json'), 'utf8')) as {
    fits: Tutorial[];
  }
).fits;
const shared = (p: string) => sharedFixture(p.replace('../shared/data/', ''));

const setup = (f: Tutorial, start: Record<string, number>) => ({
  phases: [{ phase: crystalPhase(readStru(shared(f.structure))), constraints: f.phaseConstraints }],
  datasets: [
    {
      name: f.name,
      data: readPdfData(shared(f.data)),
      radiation: 'X' as const,
      qmax: f.qmax,
      qdamp: f.qdampStart,
      qbroad: 0,
      dscale: 1,
      rmin: f.fitrmin,
      rmax: f.fitrmax,
      constraints: f.dataConstraints,
    },
  ],
  parameters: Object.entries(start).map(([id, value]) => ({ id: Number(id), value })),
});

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
