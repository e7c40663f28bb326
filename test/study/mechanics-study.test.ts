/**
 * The study's [mechanics] section: parsing (defaults, bad values named with their path) and a
 * quick run on the embedded engine: per replica and direction the stress-strain analysis, and the
 * modulus, yield and maximum averaged over replicas with intervals; its outputs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSettingsFile } from '../../src/io/settings-file.js';
import { runStudyMechanics } from '../../src/study/mechanics.js';
import { studyFromObject } from '../../src/study/spec.js';
import { tempDir } from '../helpers.js';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'laoc-0b.toml');
const study = (mechanics?: Record<string, unknown>) => {
  const raw = readSettingsFile(EXAMPLE, 'study') as Record<string, unknown>;
  return studyFromObject(mechanics ? { ...raw, mechanics } : raw, EXAMPLE);
};

describe('study [mechanics]', () => {
  it('is optional; its defaults are the study protocol (tensile x and shear yz, 1e-3 /ps, 300 K)', () => {
    expect(study().mechanics).toBeNull();
    const m = study({ replicas: 2 }).mechanics!;
    expect(m.directions).toEqual(['tensile-x', 'shear-yz']);
    expect(m.ratePerPs).toBe(1e-3);
    expect(m.temperatureK).toBe(300);
    expect(m.replicas).toBe(2);
    expect(() => study({ directions: ['tensile-w'] })).toThrow(/mechanics\.directions/);
    expect(() => study({ rate: 0 })).toThrow(/mechanics\.rate/);
    expect(() => study({ speed: 1 })).toThrow(/speed/);
  });

  it('a quick run: each replica and direction analysed, means over replicas with intervals, outputs', {
    timeout: 180_000,
  }, async () => {
    const spec = study({
      directions: ['tensile-x', 'shear-yz'],
      strain: 0.03,
      replicas: 2,
      equilibrate_ps: 0.3,
      thermo_every: 10,
    });
    const out = tempDir();
    const r = await runStudyMechanics(spec, spec.mechanics!, { outDir: out, quick: true });
    expect(r.atoms).toBe(128);
    // Quick: FIRE's 200 steps leave the packed model short of 0.5 kcal/mol/A, and the run says so.
    expect(r.warnings.filter((w) => /pre-relaxation stopped after 200 steps/.test(w))).toHaveLength(2);
    expect(r.runs.map((x) => `${x.seed} ${x.direction}`)).toEqual([
      '1 tensile-x',
      '1 shear-yz',
      '2 tensile-x',
      '2 shear-yz',
    ]);
    for (const run of r.runs) {
      expect(existsSync(run.file)).toBe(true);
      // 0.03 strain at the quick 0.05 /ps, a row every 10 fs: 61 rows.
      expect(run.result.points).toBe(61);
      expect(Number.isFinite(run.result.modulusGPa.value)).toBe(true);
    }
    const tensile = r.directions.find((d) => d.direction === 'tensile-x')!;
    expect(tensile.replicas).toBe(2);
    expect('low' in tensile.modulusGPa && tensile.modulusGPa.low < tensile.modulusGPa.mean).toBe(true);
    expect(r.directions.find((d) => d.direction === 'shear-yz')!.mode).toBe('shear');
    const j = JSON.parse(readFileSync(join(out, 'mechanics', 'mechanics.json'), 'utf8'));
    expect(j.runs).toHaveLength(4);
    expect(readFileSync(join(out, 'mechanics', 'mechanics.txt'), 'utf8')).toMatch(/tensile-x\s+2\s+/);
    expect(
      readFileSync(join(out, 'mechanics', 'mechanics.csv'), 'utf8')
        .trim()
        .split('\n'),
    ).toHaveLength(5);
  });
});
