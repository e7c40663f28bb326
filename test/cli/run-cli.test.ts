/**
 * Issue 6 from the command line: `oligolyte study --quick` (the README's main job, shortened) and
 * `oligolyte run` stopped by SIGINT (checkpoint, exit, message) and continued with --resume.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_MAIN, cli, tempDir } from '../helpers.js';

const EXAMPLE = new URL('../../examples/laoc-0b.toml', import.meta.url).pathname;

describe('oligolyte study', () => {
  it('--quick: builds, simulates, analyses and prints the Arrhenius table with intervals', () => {
    let dir = tempDir();
    const r = cli('study', EXAMPLE, '--quick', '--threads', '2', '-o', dir);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/study laoc-0b \(--quick\): 128 atoms/);
    // The example runs two series temperatures at a time: one thread each.
    expect(r.out).toMatch(/threads: 2 for the shared stages, 1 per series temperature/);
    expect(r.out).toMatch(/expected time: about/);
    expect(r.out).toMatch(
      /Arrhenius 400-700 K \(4 temperatures, \w+ fit of ln D vs 1\/T\): Ea = -?[\d.]+ eV \[/,
    );
    expect(r.out).toMatch(/extrapolated to 300 K: D = .* cm2\/s \[.*\], sigma = .* mS\/cm \[.*\] \(95 %\)/);
    // The example's four models: --quick runs two of them (the replica average still made).
    expect(r.out).toMatch(/2 models \(seeds 1, 2\)/);
    expect(r.out).toMatch(/--quick runs 2 of the study's 4 models/);
    expect(r.out).toMatch(/laoc-0b: average of 2 models \(seeds 1, 2\)/);
    expect(existsSync(join(dir, 'replicas.json'))).toBe(true);
    expect(existsSync(join(dir, 'seed3'))).toBe(false);
    dir = join(dir, 'seed1');
    const study = JSON.parse(readFileSync(join(dir, 'study.json'), 'utf8'));
    expect(study.quick).toBe(true);
    expect(study.rows.map((x: { temperatureK: number }) => x.temperatureK)).toEqual([
      300, 400, 500, 600, 700,
    ]);
    for (const row of study.rows) {
      // The thermostat holds each temperature (5 ps: within 10 %).
      expect(Math.abs(row.measuredTemperatureK / row.temperatureK - 1)).toBeLessThan(0.1);
      // NVT at the packing's 1.9 g/cm3 (the study's protocol).
      expect(row.densityGPerCm3).toBeCloseTo(1.9, 2);
      expect(row.result.diffusivity.glsCm2PerS.value).toBeGreaterThan(0);
    }
    expect(Number.isFinite(study.arrhenius.extrapolation.conductivityMsPerCm.value)).toBe(true);
    const csv = readFileSync(join(dir, 'arrhenius.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(6);
    expect(csv[0]).toMatch(/^temperature_K,measured_temperature_K,density_g_cm3,D_cm2_s,/);
    expect(existsSync(join(dir, 'run/series/T700K/02-produce/trajectory.extxyz'))).toBe(true);
    expect(readFileSync(join(dir, 'run/status.json'), 'utf8')).toMatch(/"complete"/);
    // The structure half (issue 22): Li environments, oligomer intactness and the backbone angle per T.
    expect(r.out).toMatch(/structure of the production runs: Li neighbours within O [\d.]+ A, Cl [\d.]+ A/);
    expect(r.out).toMatch(/Li\[OnCl5-n\]/);
    expect(study.structure.map((x: { temperatureK: number }) => x.temperatureK)).toEqual([
      300, 400, 500, 600, 700,
    ]);
    for (const s of study.structure) {
      const classes = s.environments.result.nmrClasses.states;
      const total = classes.reduce(
        (a: number, c: { population: { mean: number } }) => a + c.population.mean,
        0,
      );
      expect(total).toBeCloseTo(1, 9);
      expect(s.topology.verdict.intact).toBe(true);
      const backbone = s.angles.find((a: { name: string }) => a.name === 'Al-O-Al');
      expect(backbone.meanDeg).toBeGreaterThan(110);
      expect(backbone.meanDeg).toBeLessThan(160);
      // Every Al-O-Al link of the 8 trimers (2 each) followed, with a jump rate and its interval.
      expect(s.conformations.links).toHaveLength(16);
      const rate = s.conformations.pooled.ratePerNs;
      expect(rate.low95).toBeLessThanOrEqual(rate.value);
      expect(rate.high95).toBeGreaterThan(rate.value);
    }
    expect(r.out).toMatch(/jumps\/link\/ns \[95 %\]/);
    const structureCsv = readFileSync(join(dir, 'structure.csv'), 'utf8').trim().split('\n');
    expect(structureCsv).toHaveLength(6);
    expect(structureCsv[0]).toMatch(/^temperature_K,mean_cn,mean_cn_se,Li\[Cl6\]_fraction,/);
  }, 180_000);

  it('replicas: several models, each analysed, then the average with intervals from their scatter', () => {
    const dir = tempDir();
    const f = join(dir, 'r.toml');
    writeFileSync(
      f,
      [
        'name = "rep"',
        '[model]',
        'mix = "0b:8"',
        'seed = 3',
        'replicas = 2',
        '[[simulation.stage]]',
        'type = "melt-quench"',
        '[simulation.series]',
        'temperatures = [500, 700]',
        'parallel = 2',
      ].join('\n'),
    );
    const r = cli('study', f, '--quick', '-o', join(dir, 'out'));
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/2 models \(seeds 3, 4\)/);
    expect(r.out).toMatch(
      /rep: average of 2 models \(seeds 3, 4\); intervals from the scatter between models/,
    );
    expect(r.out).toMatch(/Arrhenius 400-700 K of the mean D: Ea = -?[\d.]+ eV \[.*\] \(per model: /);
    const rep = JSON.parse(readFileSync(join(dir, 'out', 'replicas.json'), 'utf8'));
    expect(rep.seeds).toEqual([3, 4]);
    const a = JSON.parse(readFileSync(join(dir, 'out', 'seed3', 'study.json'), 'utf8'));
    const b = JSON.parse(readFileSync(join(dir, 'out', 'seed4', 'study.json'), 'utf8'));
    const d = [a, b].map((x) => x.rows[1].result.diffusivity.glsCm2PerS.value);
    expect(rep.rows[1].diffusivityCm2PerS.value).toBeCloseTo((d[0] + d[1]) / 2, 15);
    // Two models: the standard error is |d0 - d1| / 2 and the interval uses Student's t,
    // t_0.975(1) = tan(0.475 pi) = 12.706204736174694 (mpmath; test/reference/t-quantiles.json).
    expect(rep.rows[1].diffusivityCm2PerS.std).toBeCloseTo(Math.abs(d[0] - d[1]) / 2, 15);
    expect(rep.rows[1].diffusivityCm2PerS.high95 - rep.rows[1].diffusivityCm2PerS.value).toBeCloseTo(
      12.706204736174694 * rep.rows[1].diffusivityCm2PerS.std,
      15,
    );
  }, 180_000);

  it('a bad study file names the file and the setting', () => {
    const dir = tempDir();
    const f = join(dir, 's.toml');
    writeFileSync(f, '[model]\nmix = "0b:8"\ndensity = -1\n[simulation.series]\n');
    const r = cli('study', f, '--dry-run');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/s\.toml:3:1: expected model\.density: a positive number \(g\/cm3\), found "-1"/);
    // An impossible option value is a usage error (exit code 2).
    const t = cli('study', EXAMPLE, '--dry-run', '--threads', '1.5');
    expect(t.code).toBe(2);
    expect(t.err).toMatch(/--threads: "1\.5" is not a whole number >= 1/);
  });
});

describe('oligolyte run', () => {
  it('SIGINT stops with a checkpoint; --resume finishes the run', async () => {
    const dir = tempDir();
    const b = cli('build', 'glass', '--mix', '0b:8', '--seed', '2', '-o', join(dir, 'glass.extxyz'));
    expect(b.code, b.err).toBe(0);
    writeFileSync(
      join(dir, 'p.toml'),
      'structure = "glass.extxyz"\ncheckpoint_every = 200\n[[stage]]\nname = "long"\nensemble = "langevin"\ntemperature = 300\ntime_ps = 8\n',
    );
    const out = join(dir, 'out');
    const child = spawn(process.execPath, [
      '--import',
      'tsx',
      CLI_MAIN,
      'run',
      join(dir, 'p.toml'),
      '-o',
      out,
    ]);
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    // Stop once the first periodic checkpoint exists (the run is well under way).
    const checkpoint = join(out, '01-long', 'checkpoint.json');
    await new Promise<void>((res, rej) => {
      const t = setInterval(() => {
        if (existsSync(checkpoint)) {
          clearInterval(t);
          child.kill('SIGINT');
          res();
        }
      }, 50);
      child.on('exit', () => {
        clearInterval(t);
        rej(new Error(`the run ended before it could be stopped: ${stderr}`));
      });
    });
    const code = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
    expect(stdout).toMatch(/01-long +langevin +300 K +8\.0 ps \(8000 x 1 fs\)/);
    expect(code).toBe(130); // 128 + SIGINT, as a shell reports it (2 is for usage errors)
    expect(stderr).toMatch(/stopped; the checkpoints are in .*--resume/);
    expect(readFileSync(join(out, 'status.json'), 'utf8')).toMatch(/"stopped"/);
    const thermo = readFileSync(join(out, '01-long', 'thermo.csv'), 'utf8');
    expect(thermo.endsWith('\n')).toBe(true);

    // Shorten nothing: the same protocol continues to its end.
    const again = cli('run', join(dir, 'p.toml'), '-o', out);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/is not empty; use --resume/);
    const r = cli('run', join(dir, 'p.toml'), '-o', out, '--resume');
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(join(out, 'status.json'), 'utf8')).toMatch(/"complete"/);
    const rows = readFileSync(join(out, '01-long', 'thermo.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(rows).toHaveLength(1 + 81); // header + steps 0, 100, ..., 8000
    expect(rows.map((l) => l.split(',')[0]).slice(1)).toEqual(
      Array.from({ length: 81 }, (_, k) => String(100 * k)),
    );
  }, 180_000);
});
