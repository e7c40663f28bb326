import { join } from 'node:path';
import { analyseStressStrain, type StressStrainResult } from '../analysis/mechanics/stress-strain.js';
import { readStressStrainRecord } from '../analysis/mechanics/stress-strain-record.js';
import { type ReplicaMean, replicaMean } from '../analysis/mechanics/stress-strain-report.js';
import { csvNumber, jsonNumbers, tableNumber, writeTo } from '../analysis/report-io.js';
import { supercell } from '../builders/supercell.js';
import type { Structure } from '../core/frame.js';
import { runProtocol } from '../engines/run-protocol.js';
import { prepareSystem } from '../forcefield/system.js';
import { makeOutputFolder } from '../io/output-errors.js';
import { readStructure, writeStructure } from '../io/registry.js';
import { minimise } from '../md/minimise.js';
import { protocolFromObject } from '../md/protocols/protocol.js';
import type { ProtocolRunOptions } from '../md/protocols/run-protocol.js';
import type { MechanicsDirection, MechanicsSpec } from './mechanics-spec.js';
import { buildStudyModel } from './model.js';
import type { StudySpec } from './spec.js';

/**
 * The mechanics of a study ([mechanics], mechanics-spec.ts), in `outDir/mechanics/`:
 *
 *   seed<S>/model.extxyz               the replicated (and minimised) model of replica S
 *   seed<S>/equilibrate/               Langevin 2 ps, then NPT (aniso, 0 atm) equilibrate_ps
 *   seed<S>/<direction>/01-<direction>/stress-strain.csv
 *   mechanics.json, mechanics.csv, mechanics.txt
 *
 * Each direction starts from the end of the replica's equilibration (positions and cell; new
 * velocities at the temperature). Per direction, the modulus, yield and maximum are averaged over
 * the replicas with a Student-t 95 % interval (two replicas or more).
 */
export interface MechanicsRun {
  seed: number;
  direction: MechanicsDirection;
  file: string;
  result: StressStrainResult;
}

export interface MechanicsDirectionSummary {
  direction: MechanicsDirection;
  mode: 'tensile' | 'shear';
  replicas: number;
  modulusGPa: ReplicaMean | { mean: number; runs: 1 };
  yieldStressGPa?: ReplicaMean | { mean: number; runs: 1 };
  yieldStrain?: ReplicaMean | { mean: number; runs: 1 };
  maximumStressGPa: ReplicaMean | { mean: number; runs: 1 };
}

export interface MechanicsStudyResult {
  spec: MechanicsSpec;
  quick: boolean;
  atoms: number;
  runs: MechanicsRun[];
  directions: MechanicsDirectionSummary[];
  warnings: string[];
}

export interface MechanicsStudyOptions
  extends Pick<ProtocolRunOptions, 'signal' | 'onStage' | 'onProgress' | 'onWarning' | 'threads'> {
  outDir: string;
  /** A workflow check: 0.5 ps of equilibration, deformation at 0.05 /ps or faster. */
  quick?: boolean;
  resume?: boolean;
  onReplica?: (seed: number, index: number) => void;
}

const mean = (values: number[]): ReplicaMean | { mean: number; runs: 1 } =>
  values.length >= 2 ? replicaMean(values) : { mean: values[0], runs: 1 };

/** Run and analyse the study's mechanics (see the module comment). */
export const runStudyMechanics = async (
  study: StudySpec,
  spec: MechanicsSpec,
  options: MechanicsStudyOptions,
): Promise<MechanicsStudyResult> => {
  const quick = options.quick === true;
  const root = join(options.outDir, 'mechanics');
  makeOutputFolder(root);
  const base = {
    engine: spec.engine,
    mpi_processes: spec.mpiProcesses,
    forcefield: study.protocol.forcefield,
    ...(study.protocol.coulomb ? { coulomb: study.protocol.coulomb } : {}),
    checkpoint_every: 10000,
  };
  const equilibratePs = quick ? Math.min(0.5, spec.equilibratePs) : spec.equilibratePs;
  const rate = quick ? Math.max(spec.ratePerPs, 0.05) : spec.ratePerPs;
  const runs: MechanicsRun[] = [];
  const warnings: string[] = [];
  let atoms = 0;
  for (let r = 0; r < spec.replicas; r++) {
    const seed = study.model.seed + r;
    options.onReplica?.(seed, r);
    const dir = join(root, `seed${seed}`);
    makeOutputFolder(dir);
    let model = buildStudyModel(study, seed);
    if (spec.supercell.some((k) => k !== 1)) model = supercell(model, spec.supercell);
    atoms = model.topology.natoms;
    if (spec.minimise) {
      // The packed glass's contacts are far from equilibrium: FIRE takes the worst of it away.
      const { ff, sys } = prepareSystem(model, {
        forcefield: study.protocol.forcefield,
        coulomb: study.protocol.coulomb,
      });
      const m = await minimise(model.frame.positions, model.frame.lattice!, sys, ff, {
        forceTolerance: 0.5,
        maxSteps: quick ? 200 : 5000,
        threads: options.threads,
        signal: options.signal,
      });
      // A pre-relaxation (MD follows), but one that stopped short is said, not passed over.
      if (!m.converged)
        warnings.push(
          `seed ${seed}: the FIRE pre-relaxation stopped after ${m.steps} steps (${m.stopReason}) with a largest force of ${m.maxForceKcalMolA.toPrecision(3)} kcal/mol/A (tolerance 0.5)`,
        );
      model = {
        topology: model.topology,
        frame: { ...model.frame, positions: m.positions, lattice: m.lattice },
      };
    }
    await writeStructure(join(dir, 'model.extxyz'), model, {
      comment: `${study.name} mechanics model, seed ${seed}`,
    });
    const file = join(dir, 'protocol.toml');
    const stages: Record<string, unknown>[] = [
      {
        name: 'relax',
        ensemble: 'langevin',
        temperature: spec.temperatureK,
        time_ps: quick ? 0.2 : 2,
        damping: 50,
        dump_every: 0,
        thermo_every: spec.thermoEvery,
      },
    ];
    if (equilibratePs > 0)
      stages.push({
        type: 'npt',
        temperature: spec.temperatureK,
        pressure: 0,
        barostat: 'aniso',
        time_ps: equilibratePs,
        time_step: spec.timeStepFs,
        damping: 100,
        barostat_damping: 1000,
        dump_every: 0,
        thermo_every: spec.thermoEvery,
      });
    const equilibrate = protocolFromObject({ ...base, seed, stage: stages }, file);
    const eq = await runProtocol(equilibrate, model, {
      outDir: join(dir, 'equilibrate'),
      resume: options.resume,
      threads: options.threads,
      signal: options.signal,
      onStage: options.onStage,
      onProgress: options.onProgress,
      onWarning: options.onWarning,
    });
    const last = eq.stages[eq.stages.length - 1];
    const end = await readStructure(join(dir, 'equilibrate', last.folder, 'final.extxyz'));
    const start: Structure = {
      topology: model.topology,
      frame: { ...model.frame, positions: end.frame.positions, lattice: end.frame.lattice },
    };
    for (const direction of spec.directions) {
      const deform = protocolFromObject(
        {
          ...base,
          seed: seed * 16 + spec.directions.indexOf(direction),
          stage: [
            {
              type: 'deform',
              mode: direction,
              rate,
              strain: spec.strain,
              temperature: spec.temperatureK,
              time_step: spec.timeStepFs,
              thermo_every: spec.thermoEvery,
              dump_every: 0,
            },
          ],
        },
        file,
      );
      const out = join(dir, direction);
      const res = await runProtocol(deform, start, {
        outDir: out,
        resume: options.resume,
        threads: options.threads,
        signal: options.signal,
        onStage: options.onStage,
        onProgress: options.onProgress,
        onWarning: options.onWarning,
      });
      const csv = join(out, res.stages[0].folder, 'stress-strain.csv');
      const record = await readStressStrainRecord(csv);
      const result = analyseStressStrain(record);
      warnings.push(...record.warnings, ...result.warnings.map((w) => `${csv}: ${w}`));
      runs.push({ seed, direction, file: csv, result });
    }
  }
  const directions = spec.directions.map((direction): MechanicsDirectionSummary => {
    const group = runs.filter((r) => r.direction === direction);
    const yields = group.filter((r) => r.result.yield).map((r) => r.result.yield!);
    return {
      direction,
      mode: direction.startsWith('tensile') ? 'tensile' : 'shear',
      replicas: group.length,
      modulusGPa: mean(group.map((r) => r.result.modulusGPa.value)),
      yieldStressGPa: yields.length ? mean(yields.map((y) => y.stressGPa)) : undefined,
      yieldStrain: yields.length ? mean(yields.map((y) => y.strain)) : undefined,
      maximumStressGPa: mean(group.map((r) => r.result.maximum.stressGPa)),
    };
  });
  const result: MechanicsStudyResult = { spec, quick, atoms, runs, directions, warnings };
  await writeMechanicsOutputs(root, result);
  return result;
};

const fmt = (v: ReplicaMean | { mean: number; runs: 1 } | undefined) =>
  v === undefined
    ? '-'
    : 'low' in v
      ? `${tableNumber(v.mean)} [${tableNumber(v.low, 3)}, ${tableNumber(v.high, 3)}]`
      : tableNumber(v.mean);

/** The table of mechanics.txt (and what `oligolyte study` prints). */
export const mechanicsTable = (r: MechanicsStudyResult): string => {
  const s = r.spec;
  const out = [
    `mechanics${r.quick ? ' (quick: not results)' : ''}: ${r.atoms} atoms, ${s.replicas} replicas, ${s.temperatureK} K, rate ${r.quick ? Math.max(s.ratePerPs, 0.05) : s.ratePerPs} /ps to strain ${s.strain}, other boundaries at 0 atm (${s.engine})`,
    '  direction    replicas  modulus GPa (95 % over replicas)   0.2 % yield GPa            yield strain     max stress GPa',
  ];
  for (const d of r.directions)
    out.push(
      `  ${d.direction.padEnd(12)} ${String(d.replicas).padStart(8)}  ${fmt(d.modulusGPa).padEnd(33)}  ${fmt(d.yieldStressGPa).padEnd(25)}  ${fmt(d.yieldStrain).padEnd(15)}  ${fmt(d.maximumStressGPa)}`,
    );
  out.push('  per run (modulus with its own 95 % interval from the stress correlation):');
  for (const run of r.runs) {
    const x = run.result;
    out.push(
      `    seed ${run.seed} ${run.direction.padEnd(10)} modulus ${tableNumber(x.modulusGPa.value)} [${tableNumber(x.modulusGPa.low, 3)}, ${tableNumber(x.modulusGPa.high, 3)}] GPa, yield ${x.yield ? `${tableNumber(x.yield.stressGPa)} GPa at ${tableNumber(x.yield.strain)}` : 'not reached'}, max ${tableNumber(x.maximum.stressGPa)} GPa`,
    );
  }
  for (const w of r.warnings) out.push(`warning: ${w}`);
  return `${out.join('\n')}\n`;
};

export const writeMechanicsOutputs = async (root: string, r: MechanicsStudyResult): Promise<void> => {
  await writeTo(join(root, 'mechanics.json'), async (sink) => {
    sink.write(
      `${JSON.stringify({ units: { stress: 'GPa', strain: 'dimensionless' }, ...r }, jsonNumbers, 1)}\n`,
    );
  });
  await writeTo(join(root, 'mechanics.csv'), async (sink) => {
    sink.write(
      'seed,direction,modulus_GPa,modulus_low_GPa,modulus_high_GPa,yield_GPa,yield_strain,max_stress_GPa,max_strain,toughness_MJ_m3\n',
    );
    for (const run of r.runs) {
      const x = run.result;
      sink.write(
        `${run.seed},${run.direction},${[x.modulusGPa.value, x.modulusGPa.low, x.modulusGPa.high, x.yield?.stressGPa ?? Number.NaN, x.yield?.strain ?? Number.NaN, x.maximum.stressGPa, x.maximum.strain, x.toughnessMJPerM3].map(csvNumber).join(',')}\n`,
      );
    }
  });
  await writeTo(join(root, 'mechanics.txt'), async (sink) => {
    sink.write(mechanicsTable(r));
  });
};
