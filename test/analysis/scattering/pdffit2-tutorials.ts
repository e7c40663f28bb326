import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PdfFitSpec } from '../../../src/analysis/scattering/pdf-fit.js';
import { crystalPhase } from '../../../src/analysis/scattering/pdf-phase.js';
import { readPdfData } from '../../../src/io/gr.js';
import { readStru } from '../../../src/io/stru.js';

// PDFgui's tutorials as the real PDFfit2 refined them (test/reference/scattering/pdffit2/
// make-tutorials.py -> test/fixtures/scattering/pdffit2/pdffit2-tutorials.json), and the same
// setups for our refinement: shared by the tutorial tests and bench/scattering.ts (no vitest here).

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures');

export interface TutorialRun {
  refined: Record<string, number>;
  stdFromJacobian: Record<string, number>;
  rw: number;
  reducedChi2: number;
  points: number;
  r: number[];
  Gcalc: number[];
  curveEvery: number;
}

export interface Tutorial {
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
  converged: TutorialRun;
}

/** Every fit of the fixture. */
export const tutorialFits = (): Tutorial[] =>
  (
    JSON.parse(readFileSync(join(fixtures, 'scattering/pdffit2/pdffit2-tutorials.json'), 'utf8')) as {
      fits: Tutorial[];
    }
  ).fits;

/** The fixture names ../shared/data files; the tests read the committed copies. */
const shared = (p: string) => join(fixtures, 'shared', p.replace('../shared/data/', ''));

/** Our refinement's spec for a tutorial, from the parameter values `start`. */
export const tutorialSetup = (f: Tutorial, start: Record<string, number>): PdfFitSpec => ({
  phases: [{ phase: crystalPhase(readStru(shared(f.structure))), constraints: f.phaseConstraints }],
  datasets: [
    {
      name: f.name,
      data: readPdfData(shared(f.data)),
      radiation: 'X',
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
