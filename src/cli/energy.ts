import { type Command, Option } from 'commander';
import { OptionError } from '../core/errors.js';
import { EV_IN_KCAL_PER_MOL } from '../core/units.js';
import { lammpsFiles, writeLammpsExport } from '../engines/lammps-export.js';
import { computeEnergy, virialPressureAtm } from '../forcefield/energy.js';
import { prepareSystem, resolveForceField } from '../forcefield/system.js';
import { readStructure, writeStructure } from '../io/registry.js';
import { coulombOption, forceFieldOption } from './force-field-option.js';
import { writeOutputs } from './outputs.js';
import { addReadOptions, type RawReadOptions, toOpenOptions } from './read-options.js';

export const registerEnergy = (program: Command): void => {
  addReadOptions(
    program
      .command('energy')
      .description('force-field energy by term, pressure tensor and forces of a structure')
      .argument(
        '<in>',
        'structure (a built model keeps its bonds and roles; others are typed from distances)',
      )
      .addOption(forceFieldOption())
      .addOption(coulombOption(['dsf', 'wolf', 'ewald']))
      .option('--forces <file>', 'write the structure with per-atom forces (eV/A), e.g. forces.extxyz')
      .option('--json', 'print as JSON'),
  ).action(
    async (
      input: string,
      o: RawReadOptions & { ff: string; coulomb?: 'dsf' | 'wolf' | 'ewald'; forces?: string; json?: boolean },
    ) => {
      // The force field first: a bad --ff is a usage error whatever the input file.
      const forceField = resolveForceField({ forcefield: o.ff, coulomb: o.coulomb });
      const s = await readStructure(input, await toOpenOptions(o));
      if (!s.frame.lattice) throw new OptionError(`${input}: the energy needs a periodic cell`);
      const { ff, sys } = prepareSystem(s, forceField);
      const e = computeEnergy(s.frame.positions, s.frame.lattice, sys, ff);
      const pressureAtm = virialPressureAtm(e.virialKcalMol, s.frame.lattice.volume);
      // The forces file after the printed result: a forces file that cannot be written is an
      // error (exit 1) naming it, and the energies are printed all the same.
      const forcesOut = o.forces;
      const writeForces = () =>
        writeOutputs(
          forcesOut
            ? [
                {
                  path: forcesOut,
                  write: async () => {
                    const forces = e.forcesKcalMolA.map((f) => f / EV_IN_KCAL_PER_MOL);
                    await writeStructure(forcesOut, {
                      topology: s.topology,
                      frame: { ...s.frame, forces, energy: e.termsKcalMol.total / EV_IN_KCAL_PER_MOL },
                    });
                  },
                },
              ]
            : [],
        );
      const ev = Object.fromEntries(
        Object.entries(e.termsKcalMol).map(([k, v]) => [k, v / EV_IN_KCAL_PER_MOL]),
      );
      if (o.json) {
        process.stdout.write(
          `${JSON.stringify({ forceField: ff.name, types: sys.typeNames, energyKcalPerMol: e.termsKcalMol, ...(e.shellDisplacementsA && { largestShellDisplacementA: largestShellDisplacement(e.shellDisplacementsA) }), energyEv: ev, pressureAtm: { xx: pressureAtm[0], yy: pressureAtm[1], zz: pressureAtm[2], xy: pressureAtm[3], xz: pressureAtm[4], yz: pressureAtm[5] }, virialPressureAtm: (pressureAtm[0] + pressureAtm[1] + pressureAtm[2]) / 3 }, null, 1)}\n`,
        );
        await writeForces();
        return;
      }
      const row = (name: string, k: number) =>
        `  ${name.padEnd(10)} ${k.toFixed(6).padStart(16)} kcal/mol ${(k / EV_IN_KCAL_PER_MOL).toFixed(6).padStart(14)} eV`;
      process.stdout.write(
        [
          `${input}: ${ff.name}, ${s.topology.natoms} atoms, types ${sys.typeNames.join(' ')}`,
          row('bonds', e.termsKcalMol.bond),
          row('angles', e.termsKcalMol.angle),
          row('dihedrals', e.termsKcalMol.dihedral),
          row('LJ', e.termsKcalMol.vdw),
          row('Coulomb', e.termsKcalMol.coulomb),
          row('total', e.termsKcalMol.total),
          ...(e.shellDisplacementsA ? [shellLine(e.shellDisplacementsA)] : []),
          `  virial pressure ${((pressureAtm[0] + pressureAtm[1] + pressureAtm[2]) / 3).toFixed(3)} atm (no kinetic part); xx yy zz xy xz yz: ${pressureAtm.map((p) => p.toFixed(3)).join(' ')}`,
          '',
        ].join('\n'),
      );
      await writeForces();
    },
  );

  const lammps = program.command('lammps').description("LAMMPS: inputs with exactly oligolyte's force field");
  addReadOptions(
    lammps
      .command('export')
      .description('write system.data (atom_style full, real units) and in.oligolyte (force field, run 0)')
      .argument('<in>', 'structure')
      .addOption(forceFieldOption())
      .addOption(coulombOption(['dsf', 'wolf', 'ewald']))
      .addOption(
        new Option('--kspace <style>', 'LAMMPS k-space style with --coulomb ewald')
          .choices(['ewald', 'pppm'])
          .default('pppm'),
      )
      .requiredOption('-o, --output <dir>', 'folder for the files'),
  ).action(
    async (
      input: string,
      o: RawReadOptions & {
        ff: string;
        coulomb?: 'dsf' | 'wolf' | 'ewald';
        kspace: 'ewald' | 'pppm';
        output: string;
      },
    ) => {
      // The force field first: a bad --ff is a usage error whatever the input file.
      const forceField = resolveForceField({ forcefield: o.ff, coulomb: o.coulomb });
      const s = await readStructure(input, await toOpenOptions(o));
      if (!s.frame.lattice) throw new OptionError(`${input}: LAMMPS needs a periodic cell`);
      const { ff, sys } = prepareSystem(s, forceField);
      writeLammpsExport(
        o.output,
        lammpsFiles(s.frame.positions, s.frame.lattice, sys, ff, { kspace: o.kspace }),
      );
      process.stdout.write(
        `wrote ${o.output}/system.data and ${o.output}/in.oligolyte (${sys.typeNames.length} atom types, ${sys.bonds.length / 2} bonds, ${sys.angles.length / 3} angles)\n`,
      );
    },
  );
};

/** The farthest a polarisable ion's shell sits from its atom (A). */
const largestShellDisplacement = (d: Float64Array): number => {
  let most = 0;
  for (let k = 0; k < d.length; k += 3) most = Math.max(most, Math.hypot(d[k], d[k + 1], d[k + 2]));
  return most;
};

/** Polarisable ions: their springs are the bonds row, their Born terms the LJ row (LAMMPS's ebond and evdwl). */
const shellLine = (d: Float64Array): string =>
  `  ${d.length / 3} polarisable ions (bonds: their core-shell springs); shells relaxed, the farthest ${largestShellDisplacement(d).toFixed(4)} A from its atom`;
