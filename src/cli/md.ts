import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SingleBar } from 'cli-progress';
import { type Command, Option } from 'commander';
import { OptionError } from '../core/errors.js';
import type { Structure } from '../core/frame.js';
import { densityGPerCm3 } from '../core/units.js';
import { withCoulomb } from '../forcefield/force-field.js';
import { loadForceField } from '../forcefield/load.js';
import { typeSystem } from '../forcefield/typing.js';
import { readStructure, writeFrames } from '../io/registry.js';
import { TextSink } from '../io/text-sink.js';
import { type Ensemble, runMd, type ThermoRow } from '../md/integrator.js';
import { thermoHeader, thermoLine } from '../md/thermo-csv.js';
import { forceFieldOption } from './force-field-option.js';
import { addReadOptions, type RawReadOptions, toOpenOptions } from './read-options.js';
import { threadsOption } from './threads-option.js';

export const registerMd = (program: Command): void => {
  addReadOptions(
    program
      .command('md')
      .description('molecular dynamics with the embedded engine (NVE, NVT Nose-Hoover chain, Langevin)')
      .argument('<in>', 'starting structure (a built model, or any file typed from distances)')
      .addOption(forceFieldOption())
      .addOption(
        new Option('--coulomb <method>', "electrostatics (default: the force field's)").choices([
          'dsf',
          'ewald',
        ]),
      )
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
        new Option('--dump-format <f>', 'trajectory format (positions unwrapped)')
          .choices(['extxyz', 'lammps-dump'])
          .default('extxyz'),
      )
      .requiredOption(
        '-o, --output <dir>',
        'folder for thermo.csv, trajectory.extxyz (or .lammpstrj) and final.extxyz',
      ),
  ).action(async (input: string, o: RawReadOptions & Record<string, string>) => {
    const whole = (v: string, flag: string, min = 0) => {
      const k = Number(v);
      if (!Number.isInteger(k) || k < min)
        throw new OptionError(`${flag}: "${v}" is not a whole number >= ${min}`);
      return k;
    };
    const positive = (v: string, flag: string) => {
      const k = Number(v);
      if (!(k > 0)) throw new OptionError(`${flag}: "${v}" is not a positive number`);
      return k;
    };
    const loaded = loadForceField(o.ff);
    const finite = (v: string, flag: string) => {
      const k = Number(v);
      if (v.trim() === '' || !Number.isFinite(k)) throw new OptionError(`${flag}: "${v}" is not a number`);
      return k;
    };
    const ff = o.coulomb ? withCoulomb(loaded, o.coulomb as 'dsf' | 'ewald') : loaded;
    const s = await readStructure(input, await toOpenOptions(o));
    if (!s.frame.lattice) throw new OptionError(`${input}: MD needs a periodic cell`);
    const lattice = s.frame.lattice;
    const sys = typeSystem(s, ff);
    const steps = whole(o.steps, '--steps');
    const dt = positive(o.timeStep, '--time-step');
    mkdirSync(o.output, { recursive: true });
    const thermo = new TextSink(join(o.output, 'thermo.csv'));
    const dumpLammps = o.dumpFormat === 'lammps-dump';
    const trajName = dumpLammps ? 'trajectory.lammpstrj' : 'trajectory.extxyz';
    const traj = new TextSink(join(o.output, trajName));
    thermo.write(thermoHeader());
    const massTotal = s.topology.totalMass();
    const writer = dumpLammps
      ? (await import('../io/formats/lammps-dump.js')).lammpsDump
      : (await import('../io/formats/extxyz.js')).extxyz;
    // Ctrl-C stops the run cleanly: the partial files are removed, nothing looks complete.
    const abort = new AbortController();
    const onSigint = () => abort.abort();
    process.once('SIGINT', onSigint);
    const frames: Structure[] = [];
    const bar = process.stderr.isTTY
      ? new SingleBar({
          stream: process.stderr,
          format: 'md [{bar}] {percentage}% | step {value}/{total} | ETA {eta}s',
          hideCursor: true,
          clearOnComplete: true,
        })
      : undefined;
    bar?.start(steps, 0);
    let last: ThermoRow | undefined;
    try {
      const final = await runMd(
        s.frame.positions,
        lattice,
        sys,
        ff,
        {
          ensemble: o.ensemble as Ensemble,
          temperatureK: positive(o.temperature, '--temperature'),
          timeStepFs: dt,
          steps,
          seed: whole(o.seed, '--seed'),
          threads: threadsOption(o.threads),
          dampingFs: positive(o.damping, '--damping'),
          pressureAtm: finite(o.pressure, '--pressure'),
          barostatDampingFs: positive(o.barostatDamping, '--barostat-damping'),
          barostat: o.barostat as 'iso' | 'aniso',
          thermoEvery: whole(o.thermoEvery, '--thermo-every', 1),
          frameEvery: whole(o.dumpEvery, '--dump-every'),
          onThermo: (r) => {
            last = r;
            const rho = densityGPerCm3(massTotal, r.volumeA3);
            thermo.write(thermoLine(r, rho));
          },
          onFrame: async (step, x, v, cell) => {
            frames.length = 0;
            frames.push({
              topology: s.topology,
              frame: {
                positions: Float64Array.from(x),
                velocities: Float64Array.from(v),
                lattice: cell,
                timeFs: step * dt,
                step,
                unwrapped: true,
              },
            });
            async function* one() {
              yield frames[0];
            }
            await writer.write!(traj, one(), { unwrapped: true, lammpsUnits: 'real' });
            await traj.flush();
            await thermo.flush();
          },
          onProgress: (step) => bar?.update(step),
          signal: abort.signal,
        },
        s.frame.velocities,
      );
      bar?.stop();
      await thermo.commit();
      await traj.commit();
      async function* finalFrame() {
        yield {
          topology: s.topology,
          frame: {
            positions: final.positions,
            velocities: final.velocities,
            lattice: final.lattice,
            timeFs: steps * dt,
            step: steps,
            unwrapped: true,
          },
        };
      }
      await writeFrames(join(o.output, 'final.extxyz'), finalFrame(), {});
    } catch (e) {
      bar?.stop();
      await thermo.abort();
      await traj.abort();
      throw e;
    } finally {
      process.removeListener('SIGINT', onSigint);
    }
    process.stdout.write(
      `${steps} steps of ${dt} fs (${o.ensemble}, ${ff.name}): T ${last!.temperatureK.toFixed(2)} K, PE ${last!.potential.toFixed(4)} kcal/mol, conserved ${last!.conserved.toFixed(4)} kcal/mol, P ${last!.pressureAtm.toFixed(1)} atm\nwrote ${o.output}/thermo.csv, ${trajName}, final.extxyz\n`,
    );
  });
};
