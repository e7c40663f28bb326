/**
 * Issue 25 from the command line: runs that blow up, outputs that cannot be written, signals,
 * absurd options and files that try to write outside their folder. Each case failed (exit 0 with
 * a wrong result, a stack trace, a hang or a stray file) before its fix.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI_MAIN, cli, tempDir, transportLgps } from '../helpers.js';

let dir: string;
let glass: string;
beforeAll(() => {
  dir = tempDir();
  glass = join(dir, 'glass.extxyz');
  const b = cli('build', 'glass', '--mix', '0b:8', '-o', glass);
  expect(b.code, b.err).toBe(0);
});

describe('a run that blows up exits 1 with the step and the reason (item 2)', () => {
  for (const dt of ['10', '8'])
    it(`md --time-step ${dt} --temperature 2000 (was exit 0 with T = 0 K)`, () => {
      const out = join(dir, `md${dt}`);
      const r = cli('md', glass, '--time-step', dt, '--temperature', '2000', '--steps', '2000', '-o', out);
      expect(r.code, r.err).toBe(1);
      expect(r.err).toMatch(/the run blew up at step \d+: atom \d+ \(Li\) (moved|moves) [\d.]+ A/);
      expect(r.err).toMatch(/use a smaller time step/);
      expect(r.out).toBe('');
      expect(existsSync(join(out, 'summary.json'))).toBe(false);
    });

  it('the last good checkpoint stays; under `run` the status says failed', () => {
    const out = join(dir, 'md-cp');
    const r = cli(
      'md',
      glass,
      '--time-step',
      '8',
      '--temperature',
      '2000',
      '--steps',
      '100',
      '--checkpoint-every',
      '2',
      '-o',
      out,
    );
    expect(r.code).toBe(1);
    const m =
      /blew up at step (\d+).*the last good checkpoint \(step (\d+)\) is kept in (\S+checkpoint\.json)/.exec(
        r.err,
      );
    expect(m, r.err).not.toBeNull();
    expect(Number(m![2])).toBeLessThan(Number(m![1]));
    expect(JSON.parse(readFileSync(m![3], 'utf8')).step).toBe(Number(m![2]));

    writeFileSync(
      join(dir, 'hot.toml'),
      'structure = "glass.extxyz"\n[[stage]]\nname = "hot"\nensemble = "nvt"\ntemperature = 2000\ntime_step = 10\ntime_ps = 2\n',
    );
    const p = cli('run', join(dir, 'hot.toml'), '-o', join(dir, 'hot'));
    expect(p.code, p.err).toBe(1);
    expect(p.err).toMatch(/01-hot: the run blew up at step \d+/);
    const status = JSON.parse(readFileSync(join(dir, 'hot', 'status.json'), 'utf8'));
    expect(status.state).toBe('failed');
    expect(JSON.stringify(status)).toMatch(/blew up at step/);
  }, 60_000);
});

describe('outputs that cannot be written are errors naming the path (item 1)', () => {
  // As root (the tests' user) a chmod-read-only folder does not stop writes, so the unwritable
  // paths are inside a regular file, or under /proc. (Checked by hand as user nobody with a
  // read-only folder: the same errors.)
  it('transport: the table is printed, the writable outputs are written, exit 1 names each unwritable one', () => {
    const d = tempDir();
    writeFileSync(join(d, 'plain'), 'x');
    const r = transportLgps(
      '--no-element-msd',
      '--json',
      join(d, 'a.json'),
      '--csv',
      join(d, 'plain', 'a.csv'),
      '--density-grid',
      '0.5',
      '--density-out',
      '/proc/oligolyte-ro/d.cube',
    );
    expect(r.code, r.err).toBe(1);
    expect(r.out).toMatch(/D \(GLS\)\s+cm\^2\/s/);
    expect(r.err).toMatch(/2 outputs were not written:/);
    expect(r.err).toMatch(/cannot write \/proc\/oligolyte-ro\/d\.cube: /);
    expect(r.err).toContain(
      `cannot write ${join(d, 'plain', 'a.csv')}: ${join(d, 'plain')} is a file, not a folder`,
    );
    expect(JSON.parse(readFileSync(join(d, 'a.json'), 'utf8')).runs[0].species).toBe('Li');
    expect(r.err).not.toMatch(/internal error|\n\s+at /);
  }, 60_000);

  it('build, convert, energy --forces, lammps export, md, run and study: exit 1 naming the path, no stack', () => {
    const d = tempDir();
    const file = join(d, 'plain');
    writeFileSync(file, 'x');
    writeFileSync(
      join(d, 'p.toml'),
      `structure = "${glass}"\n[[stage]]\nname = "a"\ntemperature = 300\nsteps = 10\n`,
    );
    writeFileSync(
      join(d, 's.toml'),
      '[model]\nmix = "0b:8"\n[[simulation.stage]]\ntype = "melt-quench"\n[simulation.series]\ntemperatures = [500, 600]\n',
    );
    const cases: [string[], string][] = [
      [
        ['build', 'glass', '--mix', '0b:8', '-o', join(file, 'g.extxyz')],
        `cannot write ${join(file, 'g.extxyz')}: ${file} is a file, not a folder`,
      ],
      [['convert', glass, join(file, 'g.xyz')], `cannot write ${join(file, 'g.xyz')}: ${file} is a file`],
      [['lammps', 'export', glass, '-o', file], `cannot write ${file}: it is a file, not a folder`],
      // md -o FILE printed "internal error" and a stack.
      [['md', glass, '--steps', '10', '-o', file], `cannot write ${file}: it is a file, not a folder`],
      [['run', join(d, 'p.toml'), '-o', file], `cannot write ${file}: it is a file, not a folder`],
      [
        ['study', join(d, 's.toml'), '--quick', '-o', join(file, 'study')],
        `cannot write ${join(file, 'study')}: ${file} is a file`,
      ],
    ];
    for (const [args, message] of cases) {
      const r = cli(...args);
      expect(r.code, `${args.join(' ')}: ${r.err}`).toBe(1);
      expect(r.err, args.join(' ')).toContain(message);
      expect(r.err, args.join(' ')).not.toMatch(/internal error|\n\s+at /);
    }
    // energy prints its result and then fails on the forces file.
    const e = cli('energy', glass, '--forces', join(file, 'f.extxyz'));
    expect(e.code).toBe(1);
    expect(e.out).toMatch(/total\s+-?[\d.]+ kcal\/mol/);
    expect(e.err).toContain(`cannot write ${join(file, 'f.extxyz')}`);
  }, 120_000);
});

describe('deeply nested JSON is a located error, not a stack overflow (item 10)', () => {
  it('protocol, force-field and pymatgen JSON', () => {
    const d = tempDir();
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    writeFileSync(
      join(d, 'p.json'),
      `{"structure": "${glass}", "stage": [{"temperature": 300, "x": ${deep}}]}`,
    );
    writeFileSync(join(d, 'ff.json'), `{"name": "x",\n "atomTypes": ${deep}}`);
    writeFileSync(
      join(d, 'pmg.json'),
      `{"@module": "pymatgen.core.structure", "@class": "Structure", "lattice": {"matrix": ${deep}}}`,
    );
    const cases: [string[], RegExp][] = [
      [
        ['run', join(d, 'p.json'), '-o', join(d, 'out')],
        /p\.json:1:\d+: expected JSON nested at most 100 levels deep/,
      ],
      [
        ['energy', glass, '--ff', join(d, 'ff.json')],
        /ff\.json:2:\d+: expected JSON nested at most 100 levels deep/,
      ],
      [['info', join(d, 'pmg.json')], /pmg\.json:1:\d+: expected JSON nested at most 100 levels deep/],
    ];
    for (const [args, message] of cases) {
      const r = cli(...args);
      expect(r.code, r.err).toBe(1);
      expect(r.err).toMatch(message);
      expect(r.err).not.toMatch(/Maximum call stack/);
    }
  }, 60_000);
});

/** Start `oligolyte ...args`; send `signal` once `ready()` holds; the exit code and output. */
const stopWhen = (
  args: string[],
  ready: () => boolean,
  signal: NodeJS.Signals,
): Promise<{ code: number | null; err: string; out: string }> => {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI_MAIN, ...args]);
  let err = '';
  let out = '';
  child.stderr.on('data', (d) => {
    err += d;
  });
  child.stdout.on('data', (d) => {
    out += d;
  });
  const t = setInterval(() => {
    if (ready()) {
      clearInterval(t);
      child.kill(signal);
    }
  }, 20);
  return new Promise((res) =>
    child.on('exit', (code) => {
      clearInterval(t);
      res({ code, err, out });
    }),
  );
};

describe('signals: a clear stop, temporary files removed, what was kept said (items 10 and 13)', () => {
  it('SIGTERM to convert: exit 143, the unfinished output is named and its temporary file removed', async () => {
    const d = tempDir();
    // A 30 MB trajectory: 2,500 frames of the 128-atom glass.
    const frame = readFileSync(glass, 'utf8');
    writeFileSync(join(d, 'big.extxyz'), frame.repeat(2500));
    const out = join(d, 'big.lammpstrj');
    const tmp = () => readdirSync(d).some((f) => f.startsWith('.big.lammpstrj.tmp-'));
    const r = await stopWhen(['convert', join(d, 'big.extxyz'), out], tmp, 'SIGTERM');
    expect(r.code, r.err).toBe(143);
    expect(r.err).toContain(
      `stopped by SIGTERM; not written (unfinished, its temporary file removed): ${out}`,
    );
    expect(readdirSync(d)).toEqual(['big.extxyz']);
  }, 120_000);

  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)
    it(`${signal} to md: exit ${code} with the message (was "internal error: RunCancelled"), the checkpoint kept, no temporary file`, async () => {
      const out = join(tempDir(), 'md');
      const thermo = join(out, 'thermo.csv');
      const rows = () => existsSync(thermo) && readFileSync(thermo, 'utf8').split('\n').length > 3;
      const r = await stopWhen(
        ['md', glass, '--steps', '1000000', '--threads', '1', '--thermo-every', '10', '-o', out],
        rows,
        signal,
      );
      expect(r.code, r.err).toBe(code);
      expect(r.err).toMatch(new RegExp(`${signal}: stopping at the next step`));
      expect(r.err).toMatch(
        /stopped; the checkpoint is in .*md\. Continue with the same command and --resume/,
      );
      expect(r.err).not.toMatch(/internal error|RunCancelled/);
      expect(readdirSync(out).sort()).toEqual(['checkpoint.json', 'thermo.csv', 'trajectory.extxyz']);
    }, 120_000);
});

describe('numbers at the edge of the options (item 9)', () => {
  it('--fit-end beyond the run: the fit ends at the run, and the printed range is the one used', () => {
    const d = tempDir();
    const r = transportLgps('--fit-end', '100', '--no-element-msd', '--json', join(d, 't.json'));
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/fit 5\.000\.\.19\.98 ps/);
    expect(r.err).toMatch(
      /note: the fit end 100 ps is beyond the run \(19\.98 ps\): the fit ends at the run's last lag, 19\.98 ps/,
    );
    const j = JSON.parse(readFileSync(join(d, 't.json'), 'utf8'));
    expect(j.runs[0].diffusivity.fitEndPs).toBeCloseTo(19.98, 10);
  }, 60_000);

  it('chem plan --batch 1e308g (printed "Infinity mmol") and 1e-320g are refused', () => {
    for (const b of ['1e308g', '1e-320g', '2e9g']) {
      const r = cli('chem', 'plan', 'LAOC^0b', '--batch', b);
      expect(r.code, r.err).toBe(2);
      expect(r.err).toContain(
        `--batch: "${b}" is not a batch; give between 0.001mg (0.000001g) and 1000 t (1000000000g)`,
      );
    }
    const ok = cli('chem', 'plan', 'LAOC^0b', '--batch', '1e9g');
    expect(ok.code).toBe(0);
    expect(ok.out).not.toMatch(/Infinity|NaN/);
  });
});

describe('absurd thread counts (item 12)', () => {
  it('md --threads 1000: capped at the cores with a note, the run finishes (it ran out of memory)', () => {
    const out = join(tempDir(), 'md');
    const r = cli('md', glass, '--steps', '20', '--threads', '1000', '-o', out);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/note: --threads 1000: this machine has \d+ cores; using \d+/);
    expect(r.out).toMatch(/20 steps of 1 fs/);
  }, 60_000);
});
