import { basename } from 'node:path';
import { type Command, Option } from 'commander';
import { writeTo } from '../analysis/report-io.js';
import { OptionError } from '../core/errors.js';
import type { Structure } from '../core/frame.js';
import { evPerA3ToGpa } from '../core/units.js';
import { cp2kOptimise } from '../engines/cp2k/optimise.js';
import { cp2kSinglePoint } from '../engines/cp2k/run.js';
import { CP2K_PRESETS, type Cp2kSettings, cp2kPreset, readCp2kSettings } from '../engines/cp2k/settings.js';
import { readStructure, writeStructure } from '../io/registry.js';
import { registerDftDataset, withCp2kStop } from './dft-dataset.js';
import { isPositive, isWholeAtLeastOne, parseNumber } from './number-option.js';
import { writeOutputs } from './outputs.js';
import { addReadOptions, type RawReadOptions, toOpenOptions } from './read-options.js';

interface DftOptions extends RawReadOptions {
  preset: string;
  settings?: string;
  cutoff?: string;
  relCutoff?: string;
  epsScf?: string;
  maxScf?: string;
  dispersion?: string;
  scf?: string;
  charge?: string;
  mpi: string;
  cp2k: string;
  workDir?: string;
  optimise?: string;
  maxSteps: string;
  pressure?: string;
  out?: string;
  json?: string;
  csv?: string;
}

/** The settings: a preset or a settings file, then each option given on the command line. */
export const dftSettings = (o: DftOptions): Cp2kSettings => {
  const s = o.settings ? readCp2kSettings(o.settings) : cp2kPreset(o.preset);
  const set = <K extends keyof Cp2kSettings>(k: K, v: Cp2kSettings[K] | undefined) => {
    if (v !== undefined) s[k] = v;
  };
  set('cutoffRy', parseNumber(o.cutoff, '--cutoff', isPositive, 'a positive cut-off (Ry)'));
  set('relCutoffRy', parseNumber(o.relCutoff, '--rel-cutoff', isPositive, 'a positive cut-off (Ry)'));
  set('epsScf', parseNumber(o.epsScf, '--eps-scf', isPositive, 'a positive threshold'));
  set('maxScf', parseNumber(o.maxScf, '--max-scf', isWholeAtLeastOne, 'a whole number >= 1'));
  set('charge', parseNumber(o.charge, '--charge', Number.isInteger, 'a whole charge (e)'));
  set('dispersion', o.dispersion as Cp2kSettings['dispersion'] | undefined);
  set('scf', o.scf as Cp2kSettings['scf'] | undefined);
  return s;
};

const fmt = (x: number, d = 6) => x.toFixed(d);

const report = (input: string, s: Structure, settings: Cp2kSettings, dir: string, extra: string[] = []) => {
  const f = s.frame;
  const n = s.topology.natoms;
  const F = f.forces!;
  let maxF = 0;
  let sum2 = 0;
  for (let i = 0; i < n; i++) {
    const m2 = F[3 * i] ** 2 + F[3 * i + 1] ** 2 + F[3 * i + 2] ** 2;
    sum2 += m2;
    maxF = Math.max(maxF, Math.sqrt(m2));
  }
  const st = f.stress ? Array.from(f.stress, evPerA3ToGpa) : undefined;
  const lines = [
    `${input}: ${n} atoms, CP2K ${settings.preset} (${settings.functional}${settings.dispersion === 'none' ? '' : `-${settings.dispersion.toUpperCase()}`}, ${settings.basis}, ${settings.cutoffRy} Ry), in ${dir}`,
    ...extra,
    `  energy          ${fmt(f.energy!)} eV (${fmt(f.energy! / n)} eV/atom)`,
    `  forces          max ${fmt(maxF, 4)} eV/A, RMS per component ${fmt(Math.sqrt(sum2 / (3 * n)), 4)} eV/A`,
  ];
  if (st)
    lines.push(
      `  stress (GPa, positive tensile) xx yy zz yz xz xy: ${[st[0], st[4], st[8], st[5], st[2], st[1]].map((x) => fmt(x, 4)).join(' ')}`,
      `  pressure        ${fmt(-(st[0] + st[4] + st[8]) / 3, 4)} GPa`,
    );
  process.stdout.write(`${lines.join('\n')}\n`);
  return { maxForceEvA: maxF, stressGPa: st };
};

export const registerDft = (program: Command): void => {
  const dft = addReadOptions(
    program
      .command('dft')
      .description(
        'DFT (CP2K) energy (eV), forces (eV/A) and stress (printed in GPa, positive tensile; eV/A^3 in files) of a periodic structure, or its geometry optimisation; `dft dataset PLAN` builds a reference data set',
      )
      .argument('[structure]', 'a periodic structure (any format oligolyte reads)')
      .addOption(
        new Option('--preset <name>', 'settings preset').choices(Object.keys(CP2K_PRESETS)).default('pbe-d3'),
      )
      .option('--settings <file>', 'CP2K settings file (TOML/JSON: preset plus overrides; see docs/dft.md)')
      .option('--cutoff <Ry>', 'plane-wave cut-off (Ry)')
      .option('--rel-cutoff <Ry>', 'relative cut-off (Ry)')
      .option('--eps-scf <x>', 'SCF convergence (CP2K EPS_SCF)')
      .option('--max-scf <n>', 'SCF steps')
      .addOption(new Option('--dispersion <kind>', 'D3 damping, or none').choices(['d3', 'd3bj', 'none']))
      .addOption(new Option('--scf <method>', 'SCF method').choices(['ot', 'diagonalization']))
      .option('--charge <e>', 'total charge of the cell (e)')
      .option('--mpi <n>', 'MPI processes (launcher as for LAMMPS; OLIGOLYTE_MPIRUN overrides)', '1')
      .option('--cp2k <exe>', 'the CP2K executable', 'cp2k.psmp')
      .option('--work-dir <dir>', 'CP2K working directory, kept (default: <structure>.cp2k)')
      .addOption(
        new Option('--optimise <what>', 'geometry optimisation: atoms (GEO_OPT) or cell (CELL_OPT)').choices([
          'atoms',
          'cell',
        ]),
      )
      .option('--max-steps <n>', 'optimisation steps', '200')
      .option('--pressure <GPa>', 'cell optimisation: external pressure (GPa)')
      .option('--out <file>', 'write the structure with energy, forces and stress (e.g. result.extxyz)')
      .option(
        '--json <file>',
        'write the result as JSON (energy eV, forces eV/A, stress GPa positive tensile, settings)',
      )
      .option('--csv <file>', 'write the forces as CSV: atom, element, x y z (A), fx fy fz (eV/A)'),
  );
  dft.action(async (input: string | undefined, o: DftOptions) => {
    if (!input) throw new OptionError('oligolyte dft needs a structure (or a subcommand: dataset)');
    const settings = dftSettings(o);
    const mpiProcesses = parseNumber(o.mpi, '--mpi', isWholeAtLeastOne, 'a whole number >= 1');
    const maxSteps = parseNumber(o.maxSteps, '--max-steps', isWholeAtLeastOne, 'a whole number >= 1');
    const pressureGPa = parseNumber(o.pressure, '--pressure', Number.isFinite, 'a pressure (GPa)');
    if (pressureGPa !== undefined && o.optimise !== 'cell')
      throw new OptionError('--pressure needs --optimise cell');
    const s = await readStructure(input, await toOpenOptions(o));
    if (!s.frame.lattice) throw new OptionError(`${input}: DFT here needs a periodic cell`);
    const dir = o.workDir ?? `${basename(input).replace(/\.[^.]+$/, '')}.cp2k`;
    const stopped = `stopped; CP2K's files so far are in ${dir}`;
    let result: Structure;
    let extra: string[] = [];
    if (o.optimise) {
      const opt = await withCp2kStop(stopped, (signal) =>
        cp2kOptimise(s, settings, dir, {
          cp2k: o.cp2k,
          mpiProcesses,
          signal,
          cell: o.optimise === 'cell',
          maxSteps,
          pressureGPa,
        }),
      );
      result = opt.structure;
      extra = [
        `  optimisation    ${opt.steps} steps, ${opt.converged ? 'converged' : 'NOT converged (the last structure is reported)'}`,
      ];
      if (o.optimise === 'cell') {
        const [a, b, c] = result.frame.lattice!.lengths;
        extra.push(
          `  cell            ${fmt(a, 4)} ${fmt(b, 4)} ${fmt(c, 4)} A, ${fmt(result.frame.lattice!.volume, 3)} A^3`,
        );
      }
    } else
      result = (
        await withCp2kStop(stopped, (signal) =>
          cp2kSinglePoint(s, settings, dir, { cp2k: o.cp2k, mpiProcesses, signal }),
        )
      ).structure;
    const summary = report(input, result, settings, dir, extra);
    await writeOutputs([
      ...(o.out
        ? [{ path: o.out, write: () => writeStructure(o.out!, result), done: `wrote ${o.out}` }]
        : []),
      ...(o.json
        ? [
            {
              path: o.json,
              done: `wrote ${o.json}`,
              write: async () => {
                await writeTo(o.json!, async (sink) =>
                  sink.write(
                    `${JSON.stringify(
                      {
                        structure: input,
                        natoms: result.topology.natoms,
                        energyEv: result.frame.energy,
                        maxForceEvA: summary.maxForceEvA,
                        stressGPaPositiveTensile: summary.stressGPa,
                        forcesEvA: Array.from(result.frame.forces!),
                        cell: result.frame.lattice ? Array.from(result.frame.lattice.matrix) : undefined,
                        settings,
                        workDir: dir,
                      },
                      null,
                      1,
                    )}\n`,
                  ),
                );
              },
            },
          ]
        : []),
      ...(o.csv
        ? [
            {
              path: o.csv,
              done: `wrote ${o.csv}`,
              write: async () => {
                const p = result.frame.positions;
                const F = result.frame.forces!;
                const rows = ['atom,element,x_A,y_A,z_A,fx_eV_A,fy_eV_A,fz_eV_A'];
                for (let i = 0; i < result.topology.natoms; i++)
                  rows.push(
                    [
                      i + 1,
                      result.topology.symbol(i),
                      p[3 * i],
                      p[3 * i + 1],
                      p[3 * i + 2],
                      F[3 * i],
                      F[3 * i + 1],
                      F[3 * i + 2],
                    ].join(','),
                  );
                await writeTo(o.csv!, async (sink) => sink.write(`${rows.join('\n')}\n`));
              },
            },
          ]
        : []),
    ]);
  });
  registerDftDataset(dft);
};
