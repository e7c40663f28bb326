import { join } from 'node:path';
import {
  ConformationAccumulator,
  type ConformationResult,
  type ConformationSeries,
} from '../analysis/dynamics/conformations.js';
import { type JumpRateArrhenius, jumpRateArrhenius } from '../analysis/dynamics/jump-arrhenius.js';
import { AngleAccumulator, type AngleDistribution } from '../analysis/structure/angles.js';
import { EnvironmentRun, type EnvironmentRunResult } from '../analysis/structure/environments-report.js';
import { streamRun } from '../analysis/structure/run-files.js';
import { BondedTopologyAccumulator, type BondedTopologyResult } from '../analysis/structure/topology.js';
import type { Frame, SourceLocation } from '../core/frame.js';
import type { Topology } from '../core/topology.js';
import { productionTrajectory } from '../md/protocols/folders.js';
import type { StudySpec } from './spec.js';

/**
 * The "why" half of a study, per series temperature, from one streaming pass over the production
 * trajectory: where the Li sit (coordination environments and the NMR classes), whether the
 * oligomers stay whole (bonded topology over time), the backbone angles, and how the oligomers
 * move (Cl-Al...Al-Cl dihedral jumps between eclipsed and staggered, per link per ns).
 */
export interface StudyStructureOptions {
  /** Centre of the environments (default 'Li'). */
  centre: string;
  /** Cut-offs given per neighbour element (A); the others from the first minimum of g(r). */
  cutoffsA: Record<string, number>;
  /** Hysteresis width of the environments (A, default 0.2). */
  hysteresisA: number;
}

export interface StudyStructureRow {
  temperatureK: number;
  environments: EnvironmentRunResult;
  topology: BondedTopologyResult;
  angles: AngleDistribution[];
  /** Al-O-Al links: angle and Cl-Al...Al-Cl dihedral, jumps between eclipsed and staggered. */
  conformations: ConformationResult;
}

/** Several analyses fed by one pass (each is an accumulator of its own). */
class StudyStructureSink {
  readonly environments: EnvironmentRun;
  readonly topology: BondedTopologyAccumulator;
  readonly angles: AngleAccumulator;
  readonly conformations: ConformationAccumulator;

  constructor(topology: Topology, options: StudyStructureOptions, frameIntervalFs: number) {
    this.environments = new EnvironmentRun(topology, {
      centre: options.centre,
      cutoffsA: options.cutoffsA,
      hysteresisA: options.hysteresisA,
      frameIntervalFs,
      // Shapes of every tenth frame: enough for their means, a tenth of the cost.
      shapeEvery: 10,
    });
    this.topology = new BondedTopologyAccumulator(topology, { frameIntervalFs });
    this.angles = new AngleAccumulator(topology, {});
    this.conformations = new ConformationAccumulator(topology, { frameIntervalFs });
  }

  push(frame: Frame, source?: SourceLocation): void {
    this.environments.push(frame, source);
    this.topology.push(frame);
    this.angles.push(frame);
    this.conformations.push(frame);
  }
}

/**
 * Structure of one series temperature's production run. `model` is the study's model topology
 * (roles, molecule ids and bonds: the trajectory's own frames need not carry them).
 */
export const analyseStudyStructure = async (
  spec: StudySpec,
  runDir: string,
  temperatureK: number,
  model: Topology,
  options: {
    onWarning?: (m: string) => void;
    /** The dihedral and angle series of every link, per frame (e.g. to write them); not kept. */
    onSeries?: (series: ConformationSeries, result: ConformationResult) => Promise<void>;
  } = {},
): Promise<StudyStructureRow> => {
  if (!spec.structure) throw new Error('analyseStudyStructure: the study has [structure] enabled = false');
  const structureOptions = spec.structure;
  const series = spec.protocol.series!;
  const produce = series.stages[series.stages.length - 1];
  const frameIntervalFs = produce.timeStepFs * produce.dumpEvery;
  const file = join(runDir, productionTrajectory(spec.protocol, temperatureK));
  const { sink } = await streamRun(
    file,
    { read: { topology: model, onWarning: options.onWarning } },
    (t) => new StudyStructureSink(t, structureOptions, frameIntervalFs),
  );
  const { result: conformations, series: perFrame } = sink.conformations.resultWithSeries();
  await options.onSeries?.(perFrame, conformations);
  return {
    temperatureK,
    environments: sink.environments.result(),
    topology: sink.topology.result(),
    angles: sink.angles.result().distributions,
    conformations,
  };
};

/** The dihedral jump rate's temperature dependence over the series (Poisson-weighted Arrhenius). */
export const studyJumpRateArrhenius = (rows: StudyStructureRow[]): JumpRateArrhenius | undefined =>
  rows.length >= 2
    ? jumpRateArrhenius(
        rows.map((r) => ({
          temperatureK: r.temperatureK,
          jumps: r.conformations.pooled.jumps,
          linkTimeNs: r.conformations.pooled.linkTimeNs,
        })),
      )
    : undefined;
