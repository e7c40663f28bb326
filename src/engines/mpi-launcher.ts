import { spawnSync } from 'node:child_process';
import { OptionError } from '../core/errors.js';

/**
 * How LAMMPS is started on several MPI processes. `mpirun` differs between MPI implementations:
 * Open MPI refuses to run as root without --allow-run-as-root and to start more processes than
 * it counts slots (cores) without --oversubscribe; MPICH's and Intel MPI's launcher (Hydra) know
 * neither flag and stop on them. So the implementation is read from `mpirun --version` once, and
 * the environment variable OLIGOLYTE_MPIRUN (e.g. "srun" or "mpiexec -bind-to core") replaces the
 * whole launcher, used as given.
 */

export type MpiImplementation = 'openmpi' | 'hydra' | 'unknown';

/** The environment variable that replaces the detected launcher. */
const MPIRUN_VARIABLE = 'OLIGOLYTE_MPIRUN';

/**
 * Which MPI printed this `--version` text: Open MPI's mpirun says "(Open MPI)" (its 4.x mpiexec
 * "(OpenRTE)"); MPICH's Hydra prints "HYDRA build details" (without the word MPICH in Debian's and
 * Ubuntu's builds); Intel MPI, a Hydra launcher too, names itself.
 */
export const mpiImplementation = (versionText: string): MpiImplementation => {
  if (/\bOpen MPI\b|\bOpenRTE\b/.test(versionText)) return 'openmpi';
  if (/\bHYDRA\b|\bMPICH\b|Intel\(R\) MPI|MVAPICH/.test(versionText)) return 'hydra';
  return 'unknown';
};

/**
 * The flags the launcher whose `--version` printed `versionText` needs: for Open MPI
 * --oversubscribe (a run may ask for more processes than cores; slower, but it runs), and
 * --allow-run-as-root when running as root (containers, CI); nothing for any other MPI.
 */
export const mpirunFlags = (versionText: string, options: { asRoot: boolean }): string[] =>
  mpiImplementation(versionText) === 'openmpi'
    ? [...(options.asRoot ? ['--allow-run-as-root'] : []), '--oversubscribe']
    : [];

/** OLIGOLYTE_MPIRUN's value as a command and its arguments; undefined when unset or blank. */
export const launcherFromVariable = (value: string | undefined): string[] | undefined => {
  const argv = value?.trim().split(/\s+/).filter(Boolean) ?? [];
  return argv.length > 0 ? argv : undefined;
};

export interface MpiLauncher {
  /** The command and its arguments, before the process count. */
  argv: string[];
  /** Where it came from, for messages: "OLIGOLYTE_MPIRUN" or "detected: openmpi". */
  source: string;
}

/** The detected launcher, once read (per process). */
let detected: MpiLauncher | undefined;

/**
 * The launcher: OLIGOLYTE_MPIRUN when set, else `mpirun` with the flags its implementation needs
 * (read from `mpirun --version` once per process).
 */
export const mpiLauncher = (env: Record<string, string | undefined> = process.env): MpiLauncher => {
  const fromVariable = launcherFromVariable(env[MPIRUN_VARIABLE]);
  if (fromVariable) return { argv: fromVariable, source: MPIRUN_VARIABLE };
  if (detected) return detected;
  const cmd = 'mpirun';
  const r = spawnSync(cmd, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  if (r.error)
    throw new OptionError(
      `${cmd} was not found (${r.error.message}): install an MPI (Debian: apt-get install -y openmpi-bin) ` +
        `or set ${MPIRUN_VARIABLE} to the launcher to use (e.g. "srun" or "mpiexec")`,
    );
  const text = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  detected = {
    argv: [cmd, ...mpirunFlags(text, { asRoot: process.getuid?.() === 0 })],
    source: `detected: ${mpiImplementation(text)}`,
  };
  return detected;
};

/**
 * The command line that runs `program` on `np` processes. `-n` is the MPI standard's spelling
 * (mpiexec -n), which Open MPI, Hydra and Slurm's srun all accept (srun has no -np).
 */
export const mpiCommand = (launcher: MpiLauncher, np: number, program: string[]): string[] => [
  ...launcher.argv,
  '-n',
  String(np),
  ...program,
];
