import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Formula } from '../../../src/analysis/scattering/constraints.js';
import { readFitFile } from '../../../src/analysis/scattering/fit-file.js';
import { refinePdf } from '../../../src/analysis/scattering/pdf-fit.js';
import { sharedFixture, tempDir } from '../../helpers.js';
import { tutorialFits } from './pdffit2-tutorials.js';

const base = readFileSync('examples/scatter/ni-lesson1.toml', 'utf8')
  .replace('"Ni.stru"', JSON.stringify(sharedFixture('pdf/Ni.stru')))
  .replace('"Ni-xray.gr"', JSON.stringify(sharedFixture('pdf/Ni-xray.gr')));
const fitFile = (text: string) => {
  const p = join(tempDir(), 'fit.toml');
  writeFileSync(p, text);
  return readFitFile(p);
};

describe('constraint formulas and the fit file', () => {
  it('evaluates PDFgui formulas with their gradients', () => {
    const p = new Map([
      [1, 2],
      [11, 0.375],
      [20, 1.5],
    ]);
    expect(Formula.parse('@1', 'x').evaluate(p, 'x').value).toBe(2);
    const f = Formula.parse('@11 +0.5', 'x').evaluate(p, 'x');
    expect(f.value).toBe(0.875);
    expect(f.gradient.get(11)).toBe(1);
    const g = Formula.parse('@20*2 - sqrt(@1)**2 / (1 + @1)', 'x').evaluate(p, 'x');
    expect(g.value).toBeCloseTo(3 - 2 / 3, 14);
    expect(g.gradient.get(20)).toBe(2);
    expect(g.gradient.get(1)).toBeCloseTo(-1 / 9, 12);
    expect(() => Formula.parse('@1 +', 'lat(1)')).toThrow(/lat\(1\): cannot read the formula "@1 \+"/);
    expect(() => Formula.parse('foo(@1)', 'x')).toThrow(/unknown function "foo"/);
  });
  it('reads the shipped Ni fit file', () => {
    const f = fitFile(base);
    expect(f.spec.parameters.map((p) => p.id)).toEqual([1, 2, 3, 4]);
    expect(f.spec.datasets[0].qmax).toBe(40);
    expect(f.spec.datasets[0].rmin).toBe(1.7);
    expect(f.spec.phases[0].constraints['uiso(all)']).toBe('@4');
  });
  it('names the problem: unknown parameter, unknown variable, Qmax below the data, misspelt key, free unused parameter', () => {
    expect(() => refinePdf(fitFile(base.replace('"lat(1)" = "@3"', '"lat(1)" = "@7 + 0.1"')).spec)).toThrow(
      /lat\(1\) = "@7 \+ 0.1" names parameter @7, which is not defined/,
    );
    expect(() => refinePdf(fitFile(base.replace('"lat(1)" = "@3"', '"lattice(1)" = "@3"')).spec)).toThrow(
      /unknown variable "lattice\(1\)"/,
    );
    expect(() => refinePdf(fitFile(base.replace('# qmax = 40', 'qmax = 25')).spec)).toThrow(
      /made with Qmax = 40 1\/A/,
    );
    expect(() => fitFile(base.replace('qdamp = 0.08', 'qdam = 0.08'))).toThrow(
      /fit.toml:27:1: expected data\[0\].qdam: a known setting \(not "qdam"\)/,
    );
    expect(() => refinePdf(fitFile(base.replace('4 = 0.0025', '4 = 0.0025\n5 = 1.0')).spec)).toThrow(
      /parameter @5 is free but no constraint uses it/,
    );
    expect(() => refinePdf(fitFile(base.replace('"uiso(all)" = "@4"', '"uiso(Cl)" = "@4"')).spec)).toThrow(
      /has no atom Cl/,
    );
  });
  it('a fit that cannot converge in the allowed iterations says so, and never reports NaN', () => {
    const f = fitFile(
      base.replace('title = "Ni lesson 1"', 'title = "short"\nmax_iterations = 3\ntolerance = 1e-15'),
    );
    const r = refinePdf(f.spec);
    expect(r.converged).toBe(false);
    expect(r.notes.join(' ')).toMatch(/did not converge in 3 iterations/);
    for (const p of r.parameters) expect(Number.isFinite(p.value) && Number.isFinite(p.sigma)).toBe(true);
  });
  it('reads a CIF phase (default_uiso for sites without U) and fits two data sets at once', () => {
    const cif = base
      .replace(
        JSON.stringify(sharedFixture('pdf/Ni.stru')),
        JSON.stringify(sharedFixture('structures/LiCl_rocksalt.cif')),
      )
      .replace('name = "Ni"', 'name = "LiCl"\ndefault_uiso = 0.01');
    const f = fitFile(cif);
    expect(f.spec.phases[0].phase.kind).toBe('crystal');
    if (f.spec.phases[0].phase.kind === 'crystal') {
      expect(f.spec.phases[0].phase.atoms.length).toBe(8);
      expect(f.spec.phases[0].phase.atoms[0].u[0]).toBe(0.01);
    }
    // The Ni data twice: the same values, chi^2 doubled, the errors / sqrt(2).
    const one = refinePdf(fitFile(base).spec);
    const spec = fitFile(base).spec;
    const two = refinePdf({
      ...spec,
      datasets: [
        spec.datasets[0],
        { ...spec.datasets[0], name: 'again', constraints: { dscale: '@1', qdamp: '@2' } },
      ],
    });
    expect(two.points).toBe(2 * one.points);
    expect(two.chi2 / one.chi2).toBeCloseTo(2, 6);
    two.parameters.forEach((p, i) => {
      expect(p.value).toBeCloseTo(one.parameters[i].value, 8);
      expect(p.sigma * Math.SQRT2).toBeCloseTo(one.parameters[i].sigma, 8);
    });
  });

  it('the shipped CdSe fit files are the PDFgui tutorial setups PDFfit2 refined (same Rw at its values)', () => {
    const fits = tutorialFits();
    for (const [file, name] of [
      ['examples/scatter/cdse-bulk.toml', 'cdse-bulk'],
      ['examples/scatter/cdse-3nm.toml', 'cdse-3nm'],
    ]) {
      const f = readFitFile(file);
      const want = fits.find((x) => x.name === name)!;
      expect(Object.fromEntries(f.spec.parameters.map((p) => [String(p.id), p.value]))).toEqual(
        want.parametersStart,
      );
      const at = refinePdf(
        {
          ...f.spec,
          parameters: f.spec.parameters.map((p) => ({ ...p, value: want.converged.refined[String(p.id)] })),
        },
        { refine: false },
      );
      expect(at.rw / want.converged.rw).toBeCloseTo(1, 6);
    }
  });
});
