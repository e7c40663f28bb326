import { type Command, Option } from 'commander';
import { csvField, csvNumber, jsonNumbers, writeTo } from '../analysis/report-io.js';
import { OptionError, PhysicsError } from '../core/errors.js';
import { EV_IN_KCAL_PER_MOL, NKTV2P } from '../core/units.js';
import { prepareSystem, resolveForceField } from '../forcefield/system.js';
import { readStructure, writeStructure } from '../io/registry.js';
import { minimise } from '../md/minimise.js';
import { coulombOption, forceFieldOption } from './force-field-option.js';
import { stepBar } from './mechanics-progress.js';
import { isPositive, isWholeAtLeastOne, parseNumber } from './number-option.js';
import { writeOutputs } from './outputs.js';
import { addReadOptions, type RawReadOptions, toOpenOptions } from './read-options.js';
import { threadsOption } from './threads-option.js';

interface MinimiseCliOptions extends RawReadOptions {
  output: string;
  ff: string;
  coulomb?: 'dsf' | 'ewald';
  method: 'fire' | 'cg';
  forceTolerance: string;
  energyTolerance?: string;
  maxSteps: string;
  cell?: 'iso' | 'aniso' | 'tri';
  pressure?: string;
  threads?: string;
  keepUnconverged?: boolean;
  json?: string;
  csv?: string;
}

/**
 * `oligolyte minimise`: relax a structure to the nearest energy minimum of the force field (a
 * freshly packed glass before MD, a crystal before its elastic constants), optionally with the
 * cell, and write it.
 */
export const registerMinimise = (program: Command): void => {
  addReadOptions(
    program
      .command('minimise')
      .alias('minimize')
      .description(
        'relax a structure to the nearest energy minimum of the force field (FIRE 2.0 or conjugate gradients, as LAMMPS min_style fire / cg), optionally with the cell to a target pressure; writes the relaxed structure (bonds and roles kept). Energies kcal/mol and eV, forces kcal/mol/A, pressure atm',
      )
      .argument(
        '<in>',
        'structure (a built model keeps its bonds and roles; others are typed from distances)',
      )
      .requiredOption('-o, --output <file>', 'relaxed structure (.extxyz, .data, POSCAR, .cif, ...)')
      .addOption(forceFieldOption())
      .addOption(coulombOption(['dsf', 'ewald']))
      .addOption(
        new Option('--method <name>', 'fire (robust from a rough start) or cg (fast near a minimum)')
          .choices(['fire', 'cg'])
          .default('fire'),
      )
      .option(
        '--force-tolerance <kcal/mol/A>',
        'stop when the largest atom force (and cell force) is below this',
        '1e-3',
      )
      .option(
        '--energy-tolerance <fraction>',
        'or when a step changes the energy by less than this fraction (LAMMPS etol; default off)',
      )
      .option('--max-steps <n>', 'most steps', '10000')
      .addOption(
        new Option(
          '--cell <mode>',
          'relax the cell too: iso (shape kept), aniso (x, y, z edges), tri (all six strains)',
        ).choices(['iso', 'aniso', 'tri']),
      )
      .option('--pressure <atm>', 'target pressure with --cell (atm)', '0')
      .option('--threads <n>', 'threads for the pair forces (default 1)')
      .option(
        '--keep-unconverged',
        'write the structure even when the minimisation stops short of the tolerance (default: exit 1, nothing written)',
      )
      .option(
        '--json <file>',
        'the summary (energies kcal/mol and eV, forces kcal/mol/A, pressure atm, cell A) as JSON',
      )
      .option('--csv <file>', 'the summary as one CSV row'),
  ).action(async (input: string, o: MinimiseCliOptions) => {
    const forceField = resolveForceField({ forcefield: o.ff, coulomb: o.coulomb });
    const forceTolerance = parseNumber(
      o.forceTolerance,
      '--force-tolerance',
      isPositive,
      'a positive force in kcal/mol/A',
    );
    const energyTolerance = parseNumber(
      o.energyTolerance,
      '--energy-tolerance',
      (v) => v >= 0,
      'a fraction >= 0',
    );
    const maxSteps = parseNumber(o.maxSteps, '--max-steps', isWholeAtLeastOne, 'a whole number >= 1');
    const pressureAtm = parseNumber(o.pressure, '--pressure', Number.isFinite, 'a pressure in atm');
    if (pressureAtm !== 0 && !o.cell)
      throw new OptionError('--pressure needs --cell (the cell is fixed without it)');
    const s = await readStructure(input, await toOpenOptions(o));
    if (!s.frame.lattice) throw new OptionError(`${input}: minimisation needs a periodic cell`);
    const { ff, sys } = prepareSystem(s, forceField);
    const bar = stepBar('minimising');
    let r: Awaited<ReturnType<typeof minimise>>;
    try {
      r = await minimise(s.frame.positions, s.frame.lattice, sys, ff, {
        method: o.method,
        forceTolerance,
        energyTolerance,
        maxSteps,
        cell: o.cell,
        pressureAtm,
        threads: o.threads === undefined ? 1 : threadsOption(o.threads),
        onProgress: (p) =>
          bar.update(
            p.step,
            p.maxSteps,
            `E ${p.potentialKcalMol.toFixed(3)} kcal/mol, Fmax ${p.maxForceKcalMolA.toExponential(2)}`,
          ),
      });
    } finally {
      bar.stop();
    }
    const pressure = (r.pressureTensorAtm[0] + r.pressureTensorAtm[1] + r.pressureTensorAtm[2]) / 3;
    const summary = {
      input,
      output: o.output,
      forceField: ff.name,
      atoms: sys.natoms,
      method: o.method,
      cell: o.cell ?? 'fixed',
      targetPressureAtm: o.cell ? pressureAtm : undefined,
      converged: r.converged,
      stopReason: r.stopReason,
      steps: r.steps,
      forceEvaluations: r.forceEvaluations,
      initialPotentialKcalMol: r.initialPotentialKcalMol,
      finalPotentialKcalMol: r.termsKcalMol.total,
      finalPotentialEv: r.termsKcalMol.total / EV_IN_KCAL_PER_MOL,
      termsKcalMol: r.termsKcalMol,
      maxForceKcalMolA: r.maxForceKcalMolA,
      forceNormKcalMolA: r.forceNormKcalMolA,
      virialPressureAtm: pressure,
      pressureTensorAtm: r.pressureTensorAtm,
      volumeA3: r.lattice.volume,
      cellLengthsA: r.lattice.lengths,
    };
    const kcal = (v: number) => `${v.toFixed(6)} kcal/mol (${(v / EV_IN_KCAL_PER_MOL).toFixed(6)} eV)`;
    process.stdout.write(
      [
        `${input} -> ${o.output}: ${ff.name}, ${sys.natoms} atoms; ${o.method}, cell ${o.cell ? `${o.cell} to ${pressureAtm} atm` : 'fixed'}`,
        `  ${r.converged ? 'converged' : 'NOT converged'} (${r.stopReason}) after ${r.steps} steps, ${r.forceEvaluations} force evaluations`,
        `  energy      ${kcal(r.initialPotentialKcalMol)} -> ${kcal(r.termsKcalMol.total)}`,
        `  max force   ${r.maxForceKcalMolA.toExponential(3)} kcal/mol/A (norm ${r.forceNormKcalMolA.toExponential(3)})`,
        `  pressure    ${pressure.toFixed(2)} atm (virial; ${(pressure / NKTV2P).toExponential(3)} kcal/mol/A^3); xx yy zz xy xz yz: ${r.pressureTensorAtm.map((p) => p.toFixed(2)).join(' ')}`,
        `  cell        ${r.lattice.lengths.map((l) => l.toFixed(4)).join(' x ')} A, ${r.lattice.volume.toFixed(3)} A^3`,
        '',
      ].join('\n'),
    );
    // A structure short of the tolerance is not a minimum: nothing is written unless asked for.
    if (!r.converged && !o.keepUnconverged)
      throw new PhysicsError(
        `not converged to ${forceTolerance} kcal/mol/A after ${r.steps} steps (${r.stopReason}; largest force ${r.maxForceKcalMolA.toExponential(3)}): nothing written; raise --max-steps, try --method, or --keep-unconverged`,
      );
    const row: [string, number | string][] = [
      ['converged', String(r.converged)],
      ['stop_reason', r.stopReason],
      ['steps', r.steps],
      ['force_evaluations', r.forceEvaluations],
      ['initial_potential_kcal_mol', r.initialPotentialKcalMol],
      ['final_potential_kcal_mol', r.termsKcalMol.total],
      ['final_potential_eV', summary.finalPotentialEv],
      ['max_force_kcal_mol_A', r.maxForceKcalMolA],
      ['force_norm_kcal_mol_A', r.forceNormKcalMolA],
      ['pressure_atm', pressure],
      ...(['xx', 'yy', 'zz', 'xy', 'xz', 'yz'].map((c, k) => [`p${c}_atm`, r.pressureTensorAtm[k]]) as [
        string,
        number,
      ][]),
      ['volume_A3', r.lattice.volume],
      ...(['a', 'b', 'c'].map((c, k) => [`${c}_A`, r.lattice.lengths[k]]) as [string, number][]),
    ];
    await writeOutputs([
      {
        path: o.output,
        write: () =>
          writeStructure(o.output, {
            topology: s.topology,
            frame: {
              ...s.frame,
              positions: r.positions,
              lattice: r.lattice,
              velocities: undefined,
              forces: undefined,
            },
          }),
      },
      ...(o.json
        ? [
            {
              path: o.json,
              write: () =>
                writeTo(o.json!, async (sink) => {
                  sink.write(`${JSON.stringify(summary, jsonNumbers, 1)}\n`);
                }),
            },
          ]
        : []),
      ...(o.csv
        ? [
            {
              path: o.csv,
              write: () =>
                writeTo(o.csv!, async (sink) => {
                  sink.write(`file,${row.map(([k]) => k).join(',')}\n`);
                  sink.write(
                    `${csvField(o.output)},${row.map(([, v]) => (typeof v === 'number' ? csvNumber(v) : csvField(v))).join(',')}\n`,
                  );
                }),
            },
          ]
        : []),
    ]);
    if (!r.converged)
      process.stderr.write(
        `oligolyte: warning: not converged to ${forceTolerance} kcal/mol/A (${r.stopReason}); written as asked (--keep-unconverged)\n`,
      );
  });
};
