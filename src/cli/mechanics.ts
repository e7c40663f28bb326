import type { Command } from 'commander';
import {
  elasticReport,
  elasticTable,
  writeElasticCsv,
  writeElasticJson,
} from '../analysis/mechanics/elastic-report.js';
import { STRESS_COMPONENTS, type StressComponent } from '../analysis/mechanics/stress-strain-record.js';
import {
  analyseStressStrainFiles,
  stressStrainTable,
  writeStressStrainCsv,
  writeStressStrainJson,
} from '../analysis/mechanics/stress-strain-report.js';
import { OptionError } from '../core/errors.js';
import { prepareSystem, resolveForceField } from '../forcefield/system.js';
import { readStructure } from '../io/registry.js';
import { elasticConstants } from '../md/elastic.js';
import { minimise } from '../md/minimise.js';
import { coulombOption, forceFieldOption } from './force-field-option.js';
import { stepBar } from './mechanics-progress.js';
import { isPositive, isWholeAtLeastOne, parseNumber } from './number-option.js';
import { writeOutputs } from './outputs.js';
import { addReadOptions, type RawReadOptions, toOpenOptions } from './read-options.js';
import { threadsOption } from './threads-option.js';

/** tensile-x, shear-yz (the protocol's names) or xx, yz. */
const parseComponent = (v: string | undefined): StressComponent | undefined => {
  if (v === undefined) return undefined;
  const m = /^(?:tensile-([xyz])|shear-(yz|xz|xy))$/.exec(v);
  const c = m ? (m[1] ? `${m[1]}${m[1]}` : m[2]) : v;
  if (!STRESS_COMPONENTS.includes(c as StressComponent))
    throw new OptionError(`--component: "${v}" is not xx yy zz yz xz xy (or tensile-x ... shear-xy)`);
  return c as StressComponent;
};

interface StressStrainCliOptions {
  component?: string;
  run?: string;
  strainColumn?: string;
  stressColumn?: string;
  stressUnit?: string;
  window?: string;
  tolerance: string;
  smooth?: string;
  offset: string;
  json?: string;
  csv?: string;
}

interface ElasticCliOptions extends RawReadOptions {
  ff: string;
  coulomb?: 'dsf' | 'ewald';
  strain?: string;
  temperature?: string;
  equilibrate: string;
  produce: string;
  keepCell?: boolean;
  relaxAtoms: boolean;
  forceTolerance: string;
  seed: string;
  threads?: string;
  json?: string;
  csv?: string;
}

/** `oligolyte mechanics ...`: stress-strain curves and elastic constants. */
export const registerMechanics = (program: Command): void => {
  const mechanics = program
    .command('mechanics')
    .description(
      'mechanical properties: moduli and yield from stress-strain records; elastic constants of a structure (GPa)',
    );

  mechanics
    .command('stress-strain')
    .description(
      "modulus (Young's or shear) from the initial linear window with a 95 % interval that respects the stress's time correlation, 0.2 % offset yield, maximum stress, toughness and Poisson's ratio of stress-strain records: oligolyte's stress-strain.csv, LAMMPS logs, or CSV with named columns. Stress GPa (positive in tension), strain dimensionless (shear: engineering gamma), toughness MJ/m^3",
    )
    .argument(
      '<files...>',
      'records, one run each (several: each analysed, and the mean over runs of each component)',
    )
    .option(
      '--component <c>',
      'deformed component: xx yy zz yz xz xy, or tensile-x ... shear-xy (default: from the folder name, the box, or the largest stress response)',
    )
    .option('--run <n>', 'LAMMPS logs: which run (1-based; default the last)')
    .option(
      '--strain-column <name>',
      'column holding the strain (LAMMPS default: from Lx/Ly/Lz or the tilt; CSV default: the one named strain...)',
    )
    .option('--stress-column <name>', 'column holding the stress (a pressure column, p..., is negated)')
    .option(
      '--stress-unit <unit>',
      'unit of the stress column: GPa MPa kPa Pa bar kbar atm (default: from its name or the log units)',
    )
    .option('--window <from:to>', 'linear window in strain, e.g. 0:0.02 (default: found automatically)')
    .option(
      '--tolerance <fraction>',
      'automatic window: the largest change of the tangent modulus accepted',
      '0.1',
    )
    .option(
      '--smooth <strain>',
      'moving-average width (strain) for yield and maximum; 0: none (default 0.005, or 1/20 of the range)',
    )
    .option('--offset <strain>', 'offset of the yield rule', '0.002')
    .option('--json <file>', 'every number, with units, as JSON')
    .option('--csv <file>', 'one row per record')
    .action(async (files: string[], o: StressStrainCliOptions) => {
      let linearWindow: [number, number] | undefined;
      if (o.window) {
        const parts = o.window.split(':');
        if (parts.length !== 2) throw new OptionError(`--window: "${o.window}" is not from:to`);
        const [a, b] = parts.map((p, k) =>
          parseNumber(p, `--window ${k ? 'to' : 'from'}`, Number.isFinite, 'a strain'),
        );
        if (!(b > a)) throw new OptionError(`--window: "${o.window}" is empty (to must exceed from)`);
        linearWindow = [a, b];
      }
      const result = await analyseStressStrainFiles(files, {
        component: parseComponent(o.component),
        run: parseNumber(o.run, '--run', isWholeAtLeastOne, 'a run number (1, 2, ...)'),
        strainColumn: o.strainColumn,
        stressColumn: o.stressColumn,
        stressUnit: o.stressUnit,
        linearWindow,
        linearTolerance: parseNumber(o.tolerance, '--tolerance', isPositive, 'a positive fraction'),
        smoothingStrain: parseNumber(o.smooth, '--smooth', (v) => v >= 0, 'a strain width >= 0'),
        yieldOffset: parseNumber(o.offset, '--offset', (v) => v >= 0, 'a strain >= 0'),
      });
      process.stdout.write(stressStrainTable(result));
      await writeOutputs([
        ...(o.json ? [{ path: o.json, write: () => writeStressStrainJson(o.json!, result) }] : []),
        ...(o.csv ? [{ path: o.csv, write: () => writeStressStrainCsv(o.csv!, result) }] : []),
      ]);
    });

  addReadOptions(
    mechanics
      .command('elastic')
      .description(
        "the 6x6 stiffness matrix C (GPa, Voigt order xx yy zz yz xz xy) by +- finite strains in six directions (LAMMPS's ELASTIC method), at 0 K with the atoms relaxed at each strain or at a temperature from NVT runs (with standard errors), and the Voigt, Reuss and Hill bulk, shear and Young's moduli and Poisson's ratio",
      )
      .argument(
        '<structure>',
        'structure (a built model keeps its bonds and roles; others are typed from distances)',
      )
      .addOption(forceFieldOption())
      .addOption(coulombOption(['dsf', 'ewald']))
      .option('--strain <e>', 'strain amplitude (default 0.001 at 0 K, 0.01 at a temperature)')
      .option(
        '--temperature <K>',
        'finite temperature: NVT runs at each strained cell (start from a structure equilibrated at it)',
      )
      .option('--equilibrate <ps>', 'with --temperature: equilibration per strained cell (ps)', '2')
      .option('--produce <ps>', 'with --temperature: production per strained cell (ps)', '10')
      .option('--keep-cell', '0 K: use the cell as given (default: relax it (aniso) to zero pressure first)')
      .option('--no-relax-atoms', '0 K: clamped ions (the atoms follow the strain affinely, no relaxation)')
      .option('--force-tolerance <kcal/mol/A>', '0 K: force tolerance of each relaxation', '1e-5')
      .option('--seed <n>', 'with --temperature: seed of the velocities', '1')
      .option('--threads <n>', 'threads for the pair forces (default 1)')
      .option('--json <file>', 'every number, with units, as JSON')
      .option('--csv <file>', 'C_ij and the moduli, one per row'),
  ).action(async (input: string, o: ElasticCliOptions) => {
    const forceField = resolveForceField({ forcefield: o.ff, coulomb: o.coulomb });
    const temperatureK = parseNumber(
      o.temperature,
      '--temperature',
      isPositive,
      'a positive temperature in K',
    );
    const strain = parseNumber(o.strain, '--strain', (v) => v > 0 && v < 0.2, 'a strain in (0, 0.2)');
    const forceTolerance = parseNumber(
      o.forceTolerance,
      '--force-tolerance',
      isPositive,
      'a positive force in kcal/mol/A',
    );
    const equilibratePs = parseNumber(o.equilibrate, '--equilibrate', (v) => v >= 0, 'a time >= 0 in ps');
    const producePs = parseNumber(o.produce, '--produce', isPositive, 'a positive time in ps');
    const seed = parseNumber(o.seed, '--seed', Number.isInteger, 'a whole number');
    if (temperatureK !== undefined && (o.keepCell || !o.relaxAtoms))
      throw new OptionError(
        '--keep-cell and --no-relax-atoms are for 0 K; with --temperature the cell is used as given',
      );
    const threads = o.threads === undefined ? 1 : threadsOption(o.threads);
    const s = await readStructure(input, await toOpenOptions(o));
    if (!s.frame.lattice) throw new OptionError(`${input}: elastic constants need a periodic cell`);
    const { ff, sys } = prepareSystem(s, forceField);
    let positions = s.frame.positions;
    let lattice = s.frame.lattice;
    let start = temperatureK === undefined ? 'cell as given, atoms relaxed' : 'as given';
    const warnings: string[] = [];
    if (temperatureK === undefined && !o.keepCell) {
      const bar = stepBar('relaxing the cell');
      try {
        const r = await minimise(positions, lattice, sys, ff, {
          method: 'fire',
          cell: 'aniso',
          forceTolerance: Math.max(forceTolerance!, 1e-4),
          maxSteps: 50000,
          threads,
          onProgress: (p) => bar.update(p.step, p.maxSteps),
        });
        if (!r.converged) warnings.push(`the cell relaxation did not converge (${r.stopReason})`);
        positions = r.positions;
        lattice = r.lattice;
      } finally {
        bar.stop();
      }
      start = 'cell relaxed (aniso) to 0 atm, atoms relaxed';
    }
    const bar = stepBar('strained cells');
    let result: Awaited<ReturnType<typeof elasticConstants>>;
    try {
      result = await elasticConstants(positions, lattice, sys, ff, {
        strain,
        relaxAtoms: o.relaxAtoms,
        minimise: { method: 'cg', forceTolerance, maxSteps: 20000 },
        temperatureK,
        equilibratePs,
        producePs,
        seed,
        threads,
        onProgress: (done, total, label) => bar.update(done, total, label),
      });
    } finally {
      bar.stop();
    }
    const report = elasticReport({
      structure: input,
      atoms: sys.natoms,
      forceField: ff.name,
      method: result.method,
      strain: result.strain,
      temperatureK,
      start: o.relaxAtoms || temperatureK !== undefined ? start : start.replace(', atoms relaxed', ''),
      referencePressureGPa: result.referencePressureGPa,
      stiffnessGPa: result.stiffnessGPa,
      stiffnessErrorGPa: result.stiffnessErrorGPa,
      warnings: [...warnings, ...result.warnings],
    });
    process.stdout.write(elasticTable(report));
    await writeOutputs([
      ...(o.json ? [{ path: o.json, write: () => writeElasticJson(o.json!, report) }] : []),
      ...(o.csv ? [{ path: o.csv, write: () => writeElasticCsv(o.csv!, report) }] : []),
    ]);
  });
};
