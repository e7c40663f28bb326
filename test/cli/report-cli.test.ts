/**
 * oligolyte report on the --quick study fixture and a transport JSON (the report a study writes
 * at its end: report-study-cli.test.ts).
 */
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, fixture, tempDir } from '../helpers.js';

const copyStudy = (): string => {
  const dir = join(tempDir(), 'study');
  cpSync(fixture('report/laoc-0b-quick'), dir, { recursive: true });
  return dir;
};

describe('oligolyte report', () => {
  it('writes report.html and figures/ and prints the sections; --json lists them', () => {
    const dir = copyStudy();
    const json = join(dir, 'report-index.json');
    const r = cli('report', dir, '--measured-sigma', '1.3@303.15', '--measured-ea', '0.47', '--json', json);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('laoc-0b: study report');
    expect(r.out).toMatch(/Arrhenius plot of Li transport\s+1 plot/);
    expect(r.out).toMatch(/3-D structure and ion density\s+3-D view/);
    expect(r.out).toContain(`wrote ${join(dir, 'report.html')} and 18 figure files in ${dir}/figures/`);
    expect(existsSync(join(dir, 'figures', 'arrhenius.svg'))).toBe(true);
    const index = JSON.parse(readFileSync(json, 'utf8'));
    expect(index.kind).toBe('study');
    expect(index.sections.map((s: { id: string }) => s.id)).toContain('arrhenius');
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('1.30 mS/cm at 303.15 K');
  });

  it('reports a transport JSON into --output, without figures when asked', () => {
    const out = tempDir();
    const r = cli('report', fixture('report/transport.json'), '--output', out, '--no-figures');
    expect(r.code).toBe(0);
    expect(r.out).toContain('transport: transport report');
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    expect(existsSync(join(out, 'figures'))).toBe(false);
  });

  it('refuses a bad measured value (exit 2) and a folder without a study (exit 1)', () => {
    const bad = cli('report', copyStudy(), '--measured-sigma', '1.3');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--measured-sigma: "1.3" is not CONDUCTIVITY@TEMPERATURE');
    const empty = cli('report', tempDir());
    expect(empty.code).toBe(1);
    expect(empty.err).toContain('no study.json here');
  });
});
