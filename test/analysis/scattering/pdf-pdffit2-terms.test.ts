import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { calculatePdf, type PdfDataModel } from '../../../src/analysis/scattering/pdf-model.js';
import {
  crystalPhase,
  phaseFractions,
  scatteringFactor,
} from '../../../src/analysis/scattering/pdf-phase.js';
import { parseVariable, setVariable } from '../../../src/analysis/scattering/pdf-variables.js';
import { readStru } from '../../../src/io/stru.js';
import { fixture, sharedFixture } from '../../helpers.js';

// 29 G(r) calculations of the real PDFfit2 (test/reference/scattering/pdffit2/make-terms.py), each
// term alone and together, against ours.

interface TermCase {
  name: string;
  what: string;
  stype: 'X' | 'N';
  qmax: number;
  dataVars: { dscale: number; qdamp: number; qbroad: number };
  phases: { structure: string; vars: Record<string, number> }[];
  atomVars?: { phase: number; var: string; value: number }[];
  grid: { rmin: number; rmax: number; points: number; dr: number };
  G: number[];
  phaseFractions?: { atom: number[]; cell: number[]; mass: number[] };
}
const ref = JSON.parse(readFileSync(fixture('scattering/pdffit2/pdffit2-terms.json'), 'utf8')) as {
  scatteringFactors: Record<string, { X: number; N: number }>;
  cases: TermCase[];
};
const structurePath = (p: string): string =>
  p.startsWith('../shared/data/')
    ? sharedFixture(p.slice('../shared/data/'.length))
    : fixture(p.replace(/^test\/fixtures\//, ''));

describe('G(r) term by term against the real PDFfit2 (pdffit2-terms.json)', () => {
  it('uses PDFfit2 scattering factors', () => {
    for (const [el, f] of Object.entries(ref.scatteringFactors)) {
      expect(scatteringFactor(el, 'X')).toBe(f.X);
      expect(scatteringFactor(el, 'N')).toBe(f.N);
    }
  });
  for (const c of ref.cases)
    it(`${c.name}: ${c.what}`, () => {
      const phases = c.phases.map((p) => {
        const ph = crystalPhase(readStru(structurePath(p.structure)));
        Object.assign(ph, p.vars);
        return ph;
      });
      const data: PdfDataModel = { radiation: c.stype, qmax: c.qmax, ...c.dataVars };
      for (const v of c.atomVars ?? []) {
        const ph = phases[v.phase - 1];
        setVariable(parseVariable(v.var, ph), ph, data, v.value);
      }
      const calc = calculatePdf(phases, data, {
        rmin: c.grid.rmin,
        rstep: c.grid.dr,
        nfmin: 0,
        nfmax: c.grid.points - 1,
      });
      expect(calc.g.length).toBe(c.G.length);
      let worst = 0;
      for (let i = 0; i < c.G.length; i++)
        worst = Math.max(worst, Math.abs(calc.g[i] - c.G[i]) / Math.max(1, Math.abs(c.G[i])));
      expect(worst).toBeLessThan(1e-6);
      if (c.phaseFractions) {
        const f = phaseFractions(phases, c.stype);
        for (const k of ['atom', 'cell', 'mass'] as const)
          f[k].forEach((x, i) => {
            expect(x.value).toBeCloseTo(c.phaseFractions![k][i], 10);
          });
      }
    });
});
