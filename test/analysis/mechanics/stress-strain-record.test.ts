/**
 * Stress-strain records from CSV files with named columns: which component the names say, and how
 * the analysis refuses a compression record (strain falling from the start).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyseStressStrain } from '../../../src/analysis/mechanics/stress-strain.js';
import { readStressStrainRecord } from '../../../src/analysis/mechanics/stress-strain-record.js';
import {
  analyseStressStrainFiles,
  stressStrainTable,
} from '../../../src/analysis/mechanics/stress-strain-report.js';
import { tempDir } from '../../helpers.js';

const curve = (dir: string, name: string, header: string, sign = 1) => {
  const rows = [header, ...Array.from({ length: 20 }, (_, i) => `${sign * i * 1e-3},${sign * 3 * i}`)];
  writeFileSync(join(dir, name), `${rows.join('\n')}\n`);
  return join(dir, name);
};

describe('stress-strain records from CSV', () => {
  it('the component comes from the column names (tau/gamma: shear), and says so', async () => {
    const dir = tempDir();
    const tensile = await readStressStrainRecord(curve(dir, 't.csv', 'strain,stress_MPa'));
    expect([tensile.mode, tensile.component, tensile.componentFrom]).toEqual([
      'tensile',
      'xx',
      'column names',
    ]);
    expect(tensile.stressGPa[10]).toBeCloseTo(0.03, 12);
    const shear = await readStressStrainRecord(curve(dir, 's.csv', 'gamma,tau_GPa'));
    expect([shear.mode, shear.componentFrom]).toEqual(['shear', 'column names']);
    const given = await readStressStrainRecord(curve(dir, 'g.csv', 'strain,stress_GPa'), { component: 'zz' });
    expect([given.component, given.componentFrom]).toEqual(['zz', 'option']);
  });

  it('a compression record (strain falling from the start) is refused with the way out', async () => {
    const dir = tempDir();
    const r = await readStressStrainRecord(curve(dir, 'c.csv', 'strain,stress_GPa', -1));
    expect(() => analyseStressStrain(r)).toThrow(/strain must increase.*a compression record/);
  });
});

describe("oligolyte's stress-strain.csv", () => {
  it('options for other records are said to be unused; an unknown unit is an error for any record', async () => {
    const dir = tempDir();
    const file = join(dir, '02-tensile-x', 'stress-strain.csv');
    mkdirSync(dirname(file));
    const rows = ['step,time_ps,strain,sxx_GPa,syy_GPa,szz_GPa,sxy_GPa,sxz_GPa,syz_GPa,volume_A3'];
    for (let i = 0; i < 20; i++)
      rows.push(`${10 * i},${0.01 * i},${i * 1e-3},${3e-3 * i},0,0,0,0,0,${1000 * (1 + i * 1e-3)}`);
    writeFileSync(file, `${rows.join('\n')}\n`);
    const r = await readStressStrainRecord(file, { stressUnit: 'MPa', strainColumn: 'eps' });
    expect([r.format, r.component, r.componentFrom]).toEqual(['oligolyte', 'xx', 'folder name']);
    expect(r.stressGPa[10]).toBeCloseTo(0.03, 12);
    expect(r.warnings.join('\n')).toMatch(/strain column given is not used/);
    expect(r.warnings.join('\n')).toMatch(/stress unit given is not used/);
    await expect(readStressStrainRecord(file, { stressUnit: 'furlong' })).rejects.toThrow(
      /unknown stress unit "furlong"/,
    );
  });
});

describe('means over runs', () => {
  it("the yield's mean says how many of the runs yielded", async () => {
    const dir = tempDir();
    // E = 3 GPa to strain 0.03, then the tangent falls to zero at 0.07 (yields); a straight line (does not).
    const write = (name: string, bend: number) => {
      const rows = ['strain,stress_GPa'];
      for (let i = 0; i <= 400; i++) {
        const e = i * 2e-4;
        rows.push(`${e},${3 * e - (e > 0.03 ? bend * (e - 0.03) ** 2 : 0)}`);
      }
      writeFileSync(join(dir, name), `${rows.join('\n')}\n`);
      return join(dir, name);
    };
    const r = await analyseStressStrainFiles([write('a.csv', 37.5), write('b.csv', 30), write('c.csv', 0)], {
      linearWindow: [0, 0.02],
      smoothingStrain: 0,
    });
    const s = r.summaries[0];
    expect([s.runs, s.yieldStressGPa!.runs]).toEqual([3, 2]);
    expect(stressStrainTable(r)).toMatch(
      /yield [\d.]+ \[[\d.]+, [\d.]+\] GPa \(the 2 of 3 runs that yielded\)/,
    );
  });
});

describe('a modulus swamped by noise', () => {
  it('is said to be uncertain, and the yield with it', () => {
    // E = 3 GPa under noise of 0.3 GPa (seeded), a window of 10 points to 0.009.
    let state = 7;
    const noise = () => {
      state = (state * 16807) % 2147483647;
      return (state / 2147483647 - 0.5) * 0.6;
    };
    const strain = Array.from({ length: 100 }, (_, i) => i * 1e-3);
    const stress = strain.map((e) => 3 * e + noise());
    const r = analyseStressStrain({ strain, stressGPa: stress }, { linearWindow: [0, 0.009] });
    expect(r.warnings.join('\n')).toMatch(/the modulus is uncertain \(standard error \d+ % of it\)/);
    const clean = analyseStressStrain(
      { strain, stressGPa: strain.map((e) => 3 * e) },
      { linearWindow: [0, 0.009] },
    );
    expect(clean.warnings.join('\n')).not.toMatch(/uncertain/);
  });
});

describe("Poisson's ratio", () => {
  it('outside 0-0.5 beyond its interval is said to be suspect; inside, nothing is said', () => {
    const strain = Array.from({ length: 50 }, (_, i) => i * 1e-3);
    const stressGPa = strain.map((e) => 3 * e);
    const lateral = (nu: number) => strain.map((e) => -nu * Math.log1p(e));
    const opts = { linearWindow: [0, 0.02] as [number, number] };
    const auxetic = analyseStressStrain({ strain, stressGPa, lateralLogStretch: lateral(-0.7) }, opts);
    expect(auxetic.poissonRatio!.value).toBeCloseTo(-0.7, 9);
    expect(auxetic.warnings.join('\n')).toMatch(/Poisson's ratio -0.700 lies outside 0-0.5/);
    const glass = analyseStressStrain({ strain, stressGPa, lateralLogStretch: lateral(0.3) }, opts);
    expect(glass.warnings.join('\n')).not.toMatch(/Poisson/);
  });
});
