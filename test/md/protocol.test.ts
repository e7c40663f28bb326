/**
 * Issue 6: protocols (validated files), stages continuing one from another, the temperature
 * series in worker threads, and a run stopped and resumed giving the same files, byte for byte,
 * as one that was not stopped.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildOligomer } from '../../src/builders/oligomer.js';
import { packGlass } from '../../src/builders/pack-glass.js';
import { runProtocol } from '../../src/engines/run-protocol.js';
import { RunCancelled } from '../../src/md/integrator.js';
import { seriesMakespanSteps, threadShares } from '../../src/md/protocols/plan.js';
import {
  protocolFromObject,
  protocolSteps,
  readProtocol,
  seriesBranchStages,
} from '../../src/md/protocols/protocol.js';
import { longestFirst } from '../../src/md/protocols/run-layout.js';
import { readThermoCsv } from '../../src/md/thermo-csv.js';

const tmp = mkdtempSync(join(tmpdir(), 'oligolyte-protocol-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const files = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(dir, f)).isFile())
    .map((f) => relative(dir, join(dir, f)))
    .sort();

describe('protocol files', () => {
  it('expands melt-quench and the series with the study defaults', () => {
    const p = protocolFromObject({ stage: [{ type: 'melt-quench' }], series: {} }, 'p.toml');
    expect(p.stages.map((s) => [s.name, s.ensemble, s.temperatureK, s.timeStepFs, s.steps])).toEqual([
      ['melt', 'nvt', 600, 1, 10000],
      ['quench', 'nvt', 300, 1, 10000],
    ]);
    expect(p.series!.temperaturesK).toEqual([300, 400, 500, 600, 700]);
    expect(p.series!.stages.map((s) => [s.name, s.timeStepFs, s.steps, s.dumpEvery])).toEqual([
      ['equilibrate', 1, 10000, 0],
      ['produce', 2, 50000, 50],
    ]);
    // The default force field is the calibrated laoc-v4 (docs/FORCEFIELD-NOTES.md, ninth round).
    expect(p.forcefield).toBe('laoc-v4');
  });

  it('repeats a stage as numbered copies (repeat, number_from), each its own stage', () => {
    const p = protocolFromObject(
      { stage: [{ name: 'hot', repeat: 3, number_from: 9, temperature: 800, steps: 25, time_step: 2 }] },
      'p.toml',
    );
    expect(p.stages.map((s) => [s.name, s.temperatureK, s.steps, s.timeStepFs])).toEqual([
      ['hot09', 800, 25, 2],
      ['hot10', 800, 25, 2],
      ['hot11', 800, 25, 2],
    ]);
    expect(
      protocolFromObject({ stage: [{ name: 'a', temperature: 300, steps: 5 }] }, 'p.toml').stages[0].name,
    ).toBe('a');
    expect(() =>
      protocolFromObject({ stage: [{ name: 'a', temperature: 300, steps: 5, repeat: 0 }] }, 'p.toml'),
    ).toThrow(/stage\[1\]\.repeat/);
    // Copies may not collide with another stage's name.
    expect(() =>
      protocolFromObject(
        {
          stage: [
            { name: 'a', temperature: 300, steps: 5, repeat: 2 },
            { name: 'a01', temperature: 300, steps: 5 },
          ],
        },
        'p.toml',
      ),
    ).toThrow(/distinct stage names/);
  });

  it('times per temperature: each temperature its own equilibration and production, run longest first', () => {
    const p = protocolFromObject(
      {
        series: {
          temperatures: [300, 400, 500, 600, 700],
          equilibrate_ps: [10, 100, 50, 10, 10],
          equilibrate_time_step: 2,
          produce_ps: [50, 400, 200, 50, 50],
          parallel: 2,
        },
      },
      'p.toml',
    );
    const series = p.series!;
    const steps = (b: number) => seriesBranchStages(series, b).map((s) => [s.name, s.temperatureK, s.steps]);
    expect(steps(0)).toEqual([
      ['equilibrate', 300, 5000],
      ['produce', 300, 25000],
    ]);
    expect(steps(1)).toEqual([
      ['equilibrate', 400, 50000],
      ['produce', 400, 200000],
    ]);
    expect(protocolSteps(p)).toBe(30000 * 3 + 250000 + 125000);
    // Longest first: 400 K on one slot, 500 K then the three short ones on the other.
    const branches = series.temperaturesK.map((T, b) => ({ T, stages: seriesBranchStages(series, b) }));
    expect(longestFirst(branches).map((b) => b.T)).toEqual([400, 500, 300, 600, 700]);
    expect(seriesMakespanSteps(p, 2)).toBe(250000);
    expect(seriesMakespanSteps(p, 1)).toBe(protocolSteps(p));
    // One time for all: no per-temperature table, the plain series as before.
    const plain = protocolFromObject({ series: { produce_ps: [100, 100, 100, 100, 100] } }, 'p.toml');
    expect(plain.series!.stepsPerTemperature).toBeUndefined();
    expect(seriesMakespanSteps(plain, 2)).toBe(3 * 60000);
    for (const [value, message] of [
      [[10, 20], /series\.produce_ps: one positive time \(ps\) per temperature \(5\), found "\[10,20\]"/],
      [[10, 20, 0, 10, 10], /one positive time \(ps\) per temperature/],
      [[10, 20, 30, 10, 10.001], /series\.produce_ps: a whole number of 2 fs steps, found "10\.001"/],
    ] as const)
      expect(() => protocolFromObject({ series: { produce_ps: value } }, 'p.toml')).toThrow(message);
  });

  it('a series at constant pressure: both stages of every temperature NPT (iso) at the given pressure', () => {
    const p = protocolFromObject(
      { series: { ensemble: 'npt', pressure: 500, barostat_damping: 2000 } },
      'p.toml',
    );
    expect(
      p.series!.stages.map((s) => [s.name, s.ensemble, s.pressureAtm, s.barostat, s.barostatDampingFs]),
    ).toEqual([
      ['equilibrate', 'npt', 500, 'iso', 2000],
      ['produce', 'npt', 500, 'iso', 2000],
    ]);
    expect(protocolFromObject({ series: { ensemble: 'npt' } }, 'p.toml').series!.stages[1].pressureAtm).toBe(
      0,
    );
    expect(() => protocolFromObject({ series: { pressure: 0 } }, 'p.toml')).toThrow(
      /p\.toml: expected series\.pressure: only with ensemble = "npt", found "0"/,
    );
  });

  it("a deform stage: the study's 1e-3 /ps to 20 % strain, the deformed axis left out of the barostat", () => {
    const p = protocolFromObject(
      { stage: [{ type: 'deform' }, { type: 'deform', mode: 'shear-yz' }] },
      'p.toml',
    );
    expect(
      p.stages.map((s) => [s.name, s.ensemble, s.steps, s.pressureAtm, s.barostat, s.barostatAxes, s.deform]),
    ).toEqual([
      ['tensile-x', 'npt', 200000, 0, 'aniso', [false, true, true], { component: 'x', ratePerPs: 0.001 }],
      ['shear-yz', 'npt', 200000, 0, 'aniso', [true, true, true], { component: 'yz', ratePerPs: 0.001 }],
    ]);
  });

  it('names the file and key of a bad setting, and refuses unknown keys', () => {
    const f = join(tmp, 'bad.toml');
    writeFileSync(f, '[[stage]]\ntype = "md"\ntemperature = -5\ntime_ps = 1\n');
    expect(() => readProtocol(f)).toThrow(
      /bad\.toml:3:1: expected stage\[1\]\.temperature: a positive number \(K\), found "-5"/,
    );
    writeFileSync(f, '[[stage]]\ntemperature = 300\ntime_ps = 1\ndamping_fs = 50\n');
    expect(() => readProtocol(f)).toThrow(/stage\[1\]\.damping_fs: a known setting/);
    writeFileSync(f, '[[stage]]\ntemperature = 300\ntime_ps = 0.0015\ntime_step = 1\n');
    expect(() => readProtocol(f)).toThrow(/whole number of 1 fs steps/);
    writeFileSync(f, '[[stage]\n');
    expect(() => readProtocol(f)).toThrow(/bad\.toml:1.*expected TOML/);
  });
});

describe('running a protocol', () => {
  const start = packGlass({ units: [{ molecule: buildOligomer(), count: 8 }], seed: 4 });
  const spec = protocolFromObject(
    {
      checkpoint_every: 100,
      stage: [{ type: 'melt-quench', melt_ps: 0.3, quench_ps: 0.2, dump_every: 50 }],
      // Per-temperature production (the cold point longer), as the study's main job.
      series: {
        temperatures: [400, 600],
        equilibrate_ps: 0.1,
        produce_ps: [0.4, 0.2],
        dump_every: 10,
        parallel: 2,
      },
    },
    join(tmp, 'p.toml'),
  );

  // Four force threads: the shared stages on four, each of the two series workers on two.
  const threads = 4;

  it('shares a thread budget: all for shared stages, an equal part per series temperature running', () => {
    expect(threadShares(4, 2, 5)).toEqual({ shared: 4, branch: 2 });
    expect(threadShares(2, 2, 5)).toEqual({ shared: 2, branch: 1 });
    expect(threadShares(3, 2, 5)).toEqual({ shared: 3, branch: 1 });
    expect(threadShares(4, 8, 2)).toEqual({ shared: 4, branch: 2 });
    expect(() => threadShares(0, 1, 1)).toThrow(/threads: 0 is not a whole number/);
  });

  it('runs the stages and the series (2 workers, threaded forces), and a stopped run resumed gives the same files', async () => {
    const whole = join(tmp, 'whole');
    const r = await runProtocol(spec, start, { outDir: whole, threads });
    expect(r.stages.map((s) => s.folder)).toEqual(['01-melt', '02-quench']);
    expect(r.series!.map((b) => b.folder)).toEqual(['series/T400K', 'series/T600K']);
    expect(readThermoCsv(join(whole, 'series/T400K/02-produce/thermo.csv')).rows).toBe(3); // steps 0, 100, 200 of 2 fs
    expect(readThermoCsv(join(whole, 'series/T600K/02-produce/thermo.csv')).rows).toBe(2); // steps 0, 100
    expect(readFileSync(join(whole, 'status.json'), 'utf8')).toMatch(/"complete"/);

    // Stop twice (once in the shared stages at step 300, once as the series' workers start),
    // resuming each time.
    const split = join(tmp, 'split');
    for (const stop of ['steps', 'series'] as const) {
      const abort = new AbortController();
      await expect(
        runProtocol(spec, start, {
          outDir: split,
          threads,
          resume: stop === 'series',
          signal: abort.signal,
          onProgress: (done) => {
            if (stop === 'steps' && done >= 300) abort.abort();
          },
          onStage: (label) => {
            if (stop === 'series' && label === 'series/T600K') abort.abort();
          },
        }),
      ).rejects.toBeInstanceOf(RunCancelled);
      expect(readFileSync(join(split, 'status.json'), 'utf8')).toMatch(/"stopped"/);
    }
    await runProtocol(spec, start, { outDir: split, resume: true, threads });
    const names = files(whole).filter((f) => !f.endsWith('status.json'));
    expect(files(split).filter((f) => !f.endsWith('status.json'))).toEqual(names);
    for (const f of names)
      expect(readFileSync(join(split, f)).equals(readFileSync(join(whole, f))), f).toBe(true);
  }, 120_000);

  it('runs a series at constant pressure: the cell follows the barostat in both stages', async () => {
    // The same start at 0 atm and at 20,000 atm (2 GPa): the higher pressure gives the smaller
    // cell in both stages (the fresh packing itself is far from either, so compare the two).
    const volumes: Record<number, number[]> = {};
    for (const pressure of [0, 20000]) {
      const npt = protocolFromObject(
        {
          series: {
            temperatures: [300],
            ensemble: 'npt',
            pressure,
            barostat_damping: 100,
            equilibrate_ps: 0.2,
            produce_ps: 0.4,
            dump_every: 50,
          },
        },
        join(tmp, 'npt.toml'),
      );
      const out = join(tmp, `npt${pressure}`);
      await runProtocol(npt, start, { outDir: out, threads: 2 });
      volumes[pressure] = ['01-equilibrate', '02-produce'].map((stage) => {
        const summary = JSON.parse(readFileSync(join(out, 'series/T300K', stage, 'summary.json'), 'utf8'));
        expect(summary.ensemble).toBe('npt');
        expect(summary.targetPressureAtm).toBe(pressure);
        return summary.volumeA3.mean;
      });
    }
    for (const k of [0, 1]) expect(volumes[20000][k]).toBeLessThan(0.98 * volumes[0][k]);
  }, 60_000);

  it('refuses to overwrite a run, or to resume a changed protocol', async () => {
    const whole = join(tmp, 'whole');
    await expect(runProtocol(spec, start, { outDir: whole })).rejects.toThrow(/is not empty; use `resume`/);
    const changed = { ...spec, seed: 99 };
    await expect(runProtocol(changed, start, { outDir: whole, resume: true })).rejects.toThrow(
      /protocol has changed/,
    );
  });
});
