import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { OptionError, PhysicsError } from '../../core/errors.js';
import type { Structure } from '../../core/frame.js';
import { RunCancelled } from '../../md/integrator.js';
import { mpiCommand, mpiLauncher } from '../mpi-launcher.js';
import { CP2K_PROJECT, type Cp2kJob, cp2kInput } from './input.js';
import { type Cp2kResult, cp2kAbortMessage, parseCp2kOutput } from './output.js';
import type { Cp2kSettings } from './settings.js';

/**
 * Running CP2K: one `cp2k.psmp` process (or N MPI processes through the launcher mpi-launcher.ts
 * detects, as for LAMMPS) in a working directory that keeps the input (cp2k.inp), the output
 * (cp2k.out) and CP2K's own files (wavefunction restart, trajectories), so a run can be inspected
 * and repeated by hand.
 */

export interface Cp2kRunOptions {
  /** The CP2K executable (default cp2k.psmp). */
  cp2k?: string;
  /** MPI processes (default 1: no launcher). */
  mpiProcesses?: number;
  /** OpenMP threads per process (default 1: the MPI processes use the cores). */
  ompThreads?: number;
  signal?: AbortSignal;
  /** Each line CP2K prints (progress). */
  onLine?: (line: string) => void;
}

export const CP2K_INPUT = 'cp2k.inp';
export const CP2K_OUTPUT = 'cp2k.out';
/** The wavefunction CP2K writes at the end (a start guess for a later run of the same atoms). */
export const CP2K_WAVEFUNCTION = `${CP2K_PROJECT}-RESTART.wfn`;

const INSTALL = 'apt-get install -y cp2k (Debian/Ubuntu; the package provides cp2k.psmp and its data files)';

/** CP2K's version line ("CP2K version 2023.1"), or a clear error when the executable is missing. */
export const findCp2k = (cp2k = 'cp2k.psmp'): string => {
  const r = spawnSync(cp2k, ['--version'], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, OMP_NUM_THREADS: '1' },
  });
  if (r.error)
    throw new OptionError(
      `CP2K (${cp2k}) was not found: ${(r.error as NodeJS.ErrnoException).code ?? r.error.message}. Install it with: ${INSTALL}`,
      { option: 'cp2k' },
    );
  const m = /CP2K version\s+(\S+)/.exec(r.stdout ?? '');
  return m ? `CP2K version ${m[1]}` : 'CP2K (version not reported)';
};

/**
 * Run CP2K on the input already written to `dir`/cp2k.inp; resolves when it exits with 0, rejects
 * with CP2K's abort message (PhysicsError) otherwise, or RunCancelled when `signal` stops it.
 */
export const runCp2kInput = (dir: string, options: Cp2kRunOptions = {}): Promise<void> => {
  const exe = options.cp2k ?? 'cp2k.psmp';
  const np = options.mpiProcesses ?? 1;
  if (!Number.isInteger(np) || np < 1)
    throw new OptionError(`mpiProcesses: ${np} is not a whole number >= 1`, { option: 'mpiProcesses' });
  const program = [exe, '-i', CP2K_INPUT, '-o', CP2K_OUTPUT];
  const launcher = np > 1 ? mpiLauncher() : undefined;
  const [cmd, ...args] = launcher ? mpiCommand(launcher, np, program) : program;
  const env = { ...process.env, OMP_NUM_THREADS: String(options.ompThreads ?? 1) };
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env });
    let tail = '';
    const keep = (d: string) => {
      tail = (tail + d).slice(-4000);
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', keep);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', keep);
    const onAbort = () => child.kill('SIGTERM');
    options.signal?.addEventListener('abort', onAbort);
    child.on('error', (e) =>
      reject(
        new OptionError(
          launcher
            ? `${cmd} could not be started (${e.message}); MPI launcher "${launcher.argv.join(' ')}" (${launcher.source})`
            : `${cmd} could not be started (${e.message}). Install CP2K with: ${INSTALL}`,
          { option: 'cp2k' },
        ),
      ),
    );
    child.on('exit', (code, sig) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (options.signal?.aborted) {
        reject(new RunCancelled(0));
        return;
      }
      if (code === 0) {
        resolvePromise();
        return;
      }
      const out = join(dir, CP2K_OUTPUT);
      const text = existsSync(out) ? readFileSync(out, 'utf8') : '';
      const why =
        cp2kAbortMessage(text) ?? cp2kAbortMessage(tail) ?? tail.trim().split('\n').slice(-3).join(' ');
      reject(
        new PhysicsError(`CP2K failed in ${dir} (exit ${code ?? sig}): ${why || 'no message'}; see ${out}`),
      );
    });
  });
};

export interface Cp2kSinglePoint {
  /** The structure with the DFT energy (eV), forces (eV/A) and stress (eV/A^3, positive tensile). */
  structure: Structure;
  result: Cp2kResult;
  /** The working directory (absolute). */
  dir: string;
}

/**
 * Energy, forces and stress of `s` from CP2K with `settings`, run in `dir` (created; its input and
 * output kept). `wavefunctionFile`: start the SCF from a previous run's wavefunction of the same
 * atoms in the same order (saves SCF steps; CP2K stops with an error if it does not match).
 */
export const cp2kSinglePoint = async (
  s: Structure,
  settings: Cp2kSettings,
  dir: string,
  options: Cp2kRunOptions & { wavefunctionFile?: string } = {},
): Promise<Cp2kSinglePoint> => {
  const abs = resolve(dir);
  mkdirSync(abs, { recursive: true });
  const job: Cp2kJob = { kind: 'energy' };
  writeFileSync(
    join(abs, CP2K_INPUT),
    cp2kInput(s, settings, job, {
      wavefunctionFile: options.wavefunctionFile ? resolve(options.wavefunctionFile) : undefined,
    }),
  );
  await runCp2kInput(abs, options);
  const out = join(abs, CP2K_OUTPUT);
  const result = parseCp2kOutput(readFileSync(out, 'utf8'), out, s.topology.natoms);
  checkElements(result, s, out);
  return {
    structure: {
      topology: s.topology,
      frame: {
        ...s.frame,
        energy: result.energyEv,
        forces: result.forcesEvA,
        ...(result.stressEvA3 ? { stress: result.stressEvA3 } : {}),
      },
    },
    result,
    dir: abs,
  };
};

/** The atoms CP2K reports are the structure's, in its order. */
export const checkElements = (r: Cp2kResult, s: Structure, file: string): void => {
  for (let i = 0; i < s.topology.natoms; i++)
    if (r.elements[i] !== s.topology.symbol(i))
      throw new PhysicsError(
        `${file}: atom ${i + 1} is ${r.elements[i]} in CP2K's forces but ${s.topology.symbol(i)} in the structure`,
      );
};
