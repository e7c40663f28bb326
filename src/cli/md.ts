import { type Command, Option } from 'commander';
import { OptionError } from '../core/errors.js';
import { MD_COULOMB_METHODS, type MdCoulombMethod } from '../forcefield/force-field.js';
import { prepareSystem, resolveForceField } from '../forcefield/system.js';
import { readStructure } from '../io/registry.js';
import { MIN_ATOMS_PER_THREAD, usefulThreads } from '../md/force-kernel.js';
import type { Ensemble } from '../md/integrator.js';
import { trajectoryName } from '../md/protocols/folders.js';
import type { StageSpec } from '../md/protocols/protocol.js';
import { runStage, topologyInit } from '../md/protocols/run-stage.js';
import { coulombOption, forceFieldOption } from './force-field-option.js';
import { isPositive, parseNumber } from './number-option.js';
import { addReadOptions, type RawReadOptions, toOpenOptions } from './read-options.js';
import { withRunSession } from './run-session.js';
import { threadsOption } from './threads-option.js';

const whole = (v: string, flag: string, min = 0) =>
  parseNumber(v, flag, (k) => Number.isInteger(k) && k >= min, `a whole number >= ${min}`);
const positive = (v: string, flag: string) => parseNumber(v, flag, isPositive, 'a positive number');
const finite = (v: string, flag: string) => parseNumber(v, flag, () => true, 'a number');

/**
 * `oligolyte md`: one MD stage with the embedded engine, written as a protocol stage is
 * (md/protocols/run-stage.ts): the same files, checkpoints and resume.
 */
export const registerMd = (program: Command): void => {
  addReadOptions(
    program
      .command('md')
      .description(
        'molecular dynamics with the embedded engine: NVE, NVT (Nose-Hoover chain), Langevin, NPT (MTK)',
      )
      .argument('<in>', 'starting structure (a built model, or any file typed from distances)')
      .addOption(forceFieldOption())
      .addOption(coulombOption(MD_COULOMB_METHODS))
      .addOption(
        new Option('--ensemble <e>', 'ensemble').choices(['nve', 'nvt', 'langevin', 'npt']).default('nvt'),
      )
      .option('--temperature <K>', 'target temperature (and of the initial velocities)', '300')
      .option('--time-step <fs>', 'time step', '1')
      .requiredOption('--steps <n>', 'number of steps')
      .option('--damping <fs>', 'thermostat relaxation time', '100')
      .option('--pressure <atm>', 'NPT: target pressure', '1')
      .option('--barostat-damping <fs>', 'NPT: barostat relaxation time', '1000')
      .addOption(
        new Option('--barostat <b>', 'NPT: iso (shape kept) or aniso (each axis on its own)')
          .choices(['iso', 'aniso'])
          .default('iso'),
      )
      .option('--seed <n>', 'seed of the initial velocities (and of Langevin noise)', '1')
      .option('--threads <n>', 'threads for the pair forces (default: all cores)')
      .option('--thermo-every <n>', 'thermo row every n steps', '100')
      .option('--dump-every <n>', 'trajectory frame every n steps (0: none)', '100')
      .addOption(
        new Option('--dump-format <f>', 'trajectory format (positions unwrapped, with velocities)')
          .choices(['extxyz', 'lammps-dump'])
          .default('extxyz'),
      )
      .option('--checkpoint-every <n>', 'checkpoint every n steps (and on Ctrl-C/SIGTERM)', '1000')
      .option('--resume', 'continue a stopped run in the output folder from its checkpoint')
      .requiredOption(
        '-o, --output <dir>',
        'folder for thermo.csv, trajectory.extxyz (or .lammpstrj), final.extxyz and summary.json',
      ),
  ).action(async (input: string, o: RawReadOptions & Record<string, string | boolean | undefined>) => {
    const str = (k: string) => o[k] as string;
    // The force field first: a bad --ff is a usage error whatever the input file.
    const forceField = resolveForceField({
      forcefield: str('ff'),
      coulomb: o.coulomb as MdCoulombMethod | undefined,
    });
    const s = await readStructure(input, await toOpenOptions(o));
    if (!s.frame.lattice) throw new OptionError(`${input}: MD needs a periodic cell`);
    const { ff, sys } = prepareSystem(s, forceField);
    const ensemble = str('ensemble') as Ensemble;
    const stage: StageSpec = {
      name: 'md',
      ensemble,
      temperatureK: positive(str('temperature'), '--temperature'),
      timeStepFs: positive(str('timeStep'), '--time-step'),
      steps: whole(str('steps'), '--steps'),
      pressureAtm: finite(str('pressure'), '--pressure'),
      dampingFs: positive(str('damping'), '--damping'),
      barostatDampingFs: positive(str('barostatDamping'), '--barostat-damping'),
      barostat: str('barostat') as 'iso' | 'aniso',
      thermoEvery: whole(str('thermoEvery'), '--thermo-every', 1),
      dumpEvery: whole(str('dumpEvery'), '--dump-every'),
      dumpVelocities: true,
    };
    const dumpFormat = str('dumpFormat') as 'extxyz' | 'lammps-dump';
    const threads = threadsOption(o.threads);
    if (usefulThreads(threads, sys.natoms) < threads && o.threads !== undefined)
      process.stderr.write(
        `note: ${sys.natoms} atoms: the forces run on ${usefulThreads(threads, sys.natoms)} threads (at least ${MIN_ATOMS_PER_THREAD} atoms each)\n`,
      );
    const outDir = str('output');
    const { summary } = await withRunSession(
      'md',
      `stopped; the checkpoint is in ${outDir}. Continue with the same command and --resume`,
      (hooks) =>
        runStage(
          outDir,
          stage,
          {
            positions: s.frame.positions,
            velocities: s.frame.velocities,
            cell: Array.from(s.frame.lattice!.matrix),
          },
          {
            sys,
            ff,
            topology: topologyInit(s.topology),
            dumpFormat,
            checkpointEvery: whole(str('checkpointEvery'), '--checkpoint-every'),
            seed: whole(str('seed'), '--seed'),
            threads,
            resume: o.resume === true,
          },
          {
            signal: hooks.signal,
            onSteps: (step) => hooks.onProgress?.(step, stage.steps),
            onWarning: hooks.onWarning,
          },
        ),
    );
    const f = summary.final;
    process.stdout.write(
      `${stage.steps} steps of ${stage.timeStepFs} fs (${ensemble}, ${ff.name}): final T ${f.temperatureK.toFixed(2)} K, PE ${f.potentialKcalMol.toFixed(4)} kcal/mol, density ${f.densityGPerCm3.toFixed(4)} g/cm3; means T ${summary.temperatureK.mean.toFixed(2)} K, P ${summary.pressureAtm.mean.toFixed(1)} atm\n` +
        `wrote ${outDir}/thermo.csv, ${stage.dumpEvery > 0 ? `${trajectoryName(dumpFormat)}, ` : ''}final.extxyz, summary.json\n`,
    );
  });
};
