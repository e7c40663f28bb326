import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { olsLine } from '../src/analysis/transport/line-fit.js';
import { ParseError } from '../src/core/errors.js';
import type { Structure } from '../src/core/frame.js';
import type { Lattice } from '../src/core/lattice.js';
import { EV_IN_KCAL_PER_MOL } from '../src/core/units.js';
import { computeEnergy } from '../src/forcefield/energy.js';
import type { ForceField } from '../src/forcefield/force-field.js';
import { type TypedSystem, typeSystem } from '../src/forcefield/typing.js';
import { type OpenOptions, readFrames } from '../src/io/registry.js';
import { runMd } from '../src/md/integrator.js';

const here = dirname(fileURLToPath(import.meta.url));
/** test/fixtures: every fixture the tests need lives in the repository. */
export const FIXTURES = join(here, 'fixtures');
/** A file under test/fixtures. */
export const fixture = (rel: string): string => join(FIXTURES, rel);
/**
 * The repository's copy of a file of the project's shared data, by its path there
 * ('peer-trajectories/kinisi/example_XDATCAR.gz'): test/fixtures/shared/<rel>, with the licences
 * and PROVENANCE.md beside the files. The two pymatgen JSON files are stored gzipped (`.json.gz`).
 */
export const sharedFixture = (rel: string): string => join(FIXTURES, 'shared', rel);

/** ../shared/data beside the repository: read only by the few tests of optionalShared. */
const SHARED = resolve(here, '..', '..', 'shared', 'data');

/**
 * A file that only ../shared/data holds (MDAnalysis's GPL test files, which stay out of the
 * repository): its path when ../shared/data sits beside the repository; otherwise undefined, after
 * a console.warn naming the file, so that the test that needs it is skipped visibly:
 * `const p = optionalShared(rel); it.skipIf(!p)(...)`.
 */
export const optionalShared = (rel: string): string | undefined => {
  const path = join(SHARED, rel);
  if (existsSync(path)) return path;
  console.warn(`skipping the test of ${rel}: ${path} is not there (a GPL file kept out of the repository)`);
  return undefined;
};

export const tempDir = (): string => mkdtempSync(join(tmpdir(), 'oligolyte-test-'));

/** Write `text` to a fresh temporary file with this name; returns its path. */
export const tempFile = (name: string, text: string | Uint8Array): string => {
  const p = join(tempDir(), name);
  writeFileSync(p, text);
  return p;
};

/** `text` with line `n` (1-based) replaced by `line`. */
export const withLine = (text: string, n: number, line: string): string => {
  const l = text.split('\n');
  l[n - 1] = line;
  return l.join('\n');
};

/** The first `n` lines of `text`, each ending in a newline. */
export const headLines = (text: string, n: number): string => `${text.split('\n').slice(0, n).join('\n')}\n`;

/** The error `p` rejects with; the test fails when `p` resolves. */
export const rejection = async (p: Promise<unknown>): Promise<Error> => {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
};

export const readAll = async (path: string, options: OpenOptions = {}): Promise<Structure[]> => {
  const out: Structure[] = [];
  for await (const s of readFrames(path, options)) out.push(s);
  return out;
};

/** Expect reading `path` to fail with a ParseError at `line` whose message mentions `expected`. */
export const expectParseError = async (
  path: string,
  line: number | undefined,
  expected?: RegExp,
  options: OpenOptions = {},
) => {
  let err: unknown;
  try {
    await readAll(path, options);
  } catch (e) {
    err = e;
  }
  expect(err, 'a ParseError').toBeInstanceOf(ParseError);
  const pe = err as ParseError;
  expect(pe.file).toBe(path);
  if (line !== undefined) expect(pe.line, pe.message).toBe(line);
  if (expected) expect(pe.message).toMatch(expected);
  return pe;
};

export const expectClose = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++)
    expect(Math.abs(a[i] - b[i]), `index ${i}: ${a[i]} vs ${b[i]}`).toBeLessThanOrEqual(tol);
};

/** Seeded uniform random numbers in (0, 1) with 53-bit resolution (mulberry32 pairs): tests are reproducible. */
export const seededRandom = (seed: number): (() => number) => {
  let s = seed | 0;
  const next = () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
  return () => (next() * 2097152 + (next() >>> 11) + 0.5) / 9007199254740992;
};

/** Seeded standard normal deviates (Box-Muller). */
export const seededGaussian = (seed: number): (() => number) => {
  const u = seededRandom(seed);
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    const r = Math.sqrt(-2 * Math.log(u()));
    const phi = 2 * Math.PI * u();
    spare = r * Math.sin(phi);
    return r * Math.cos(phi);
  };
};

/**
 * Energy drift of an MD run: the least-squares slope of the total or conserved energy (kcal/mol)
 * against time, per atom, in eV/atom/ps.
 */
export const energyDriftEvPerAtomPs = (
  rows: readonly { timeFs: number; totalKcalMol: number; conservedKcalMol: number }[],
  natoms: number,
  key: 'totalKcalMol' | 'conservedKcalMol',
): number =>
  olsLine(
    rows.map((r) => r.timeFs / 1000),
    rows.map((r) => r[key] / EV_IN_KCAL_PER_MOL / natoms),
  ).slope;

/** The CLI entry point, run from source through tsx. */
export const CLI_MAIN = new URL('../src/cli/main.ts', import.meta.url).pathname;

/** Run `oligolyte ...args` in a child process: exit code, stdout, stderr. */
export const cli = (...args: string[]): { code: number | null; out: string; err: string } => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI_MAIN, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

/** The 600 K LGPS run (Li20Ge2P4S24, 1000 frames 20 fs apart) that the transport CLI tests read. */
export const LGPS_600K = sharedFixture('peer-trajectories/derived/LGPS_600K_unwrapped.extxyz.gz');

/** `oligolyte transport LGPS_600K --temperature 600 --fit-start 5 ...extra`. */
export const transportLgps = (...extra: string[]) =>
  cli('transport', LGPS_600K, '--temperature', '600', '--fit-start', '5', ...extra);

/**
 * A freshly packed glass heats up as its contacts relax: the MD tests first take that heat away
 * with a short Langevin run (damping 50 fs) and start from its end.
 */
export const langevinStart = (
  positions: Float64Array,
  lattice: Lattice,
  sys: TypedSystem,
  ff: ForceField,
  temperatureK = 300,
  steps = 1000,
) => runMd(positions, lattice, sys, ff, { ensemble: 'langevin', temperatureK, steps, dampingFs: 50 });

/**
 * A structure at `positions` labelled as reference data of a force field, as `dft dataset` writes
 * DFT: energy (eV), forces (eV/A) and stress (3x3, eV/A^3, tensile positive: -W/V).
 */
export const forceFieldReference = (s: Structure, positions: Float64Array, ff: ForceField): Structure => {
  const e = computeEnergy(positions, s.frame.lattice!, typeSystem(s, ff), ff);
  const w = e.virialKcalMol;
  const V = s.frame.lattice!.volume;
  return {
    topology: s.topology,
    frame: {
      positions,
      lattice: s.frame.lattice,
      energy: e.termsKcalMol.total / EV_IN_KCAL_PER_MOL,
      forces: e.forcesKcalMolA.map((f) => f / EV_IN_KCAL_PER_MOL),
      stress: Float64Array.from(
        [w[0], w[3], w[4], w[3], w[1], w[5], w[4], w[5], w[2]],
        (x) => -x / EV_IN_KCAL_PER_MOL / V,
      ),
    },
  };
};

/**
 * Minus the central difference of `energy` along coordinate k of x (a force component, in the
 * energy's unit per A): -(E(x + h e_k) - E(x - h e_k)) / 2h.
 */
export const centralDifferenceForce = (
  energy: (x: Float64Array) => number,
  x: Float64Array,
  k: number,
  h: number,
): number => {
  const p = Float64Array.from(x);
  p[k] += h;
  const up = energy(p);
  p[k] -= 2 * h;
  return -(up - energy(p)) / (2 * h);
};
