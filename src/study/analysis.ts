import { join } from 'node:path';
import type { JumpRateArrhenius } from '../analysis/dynamics/jump-arrhenius.js';
import {
  analyseTransport,
  type TransportResult,
  type TransportRun,
} from '../analysis/transport/analyse-run.js';
import { type ArrheniusSummary, arrheniusSummary } from '../analysis/transport/arrhenius-summary.js';
import { InsufficientDataError } from '../core/errors.js';
import { readFrames } from '../io/registry.js';
import { productionTrajectory } from '../md/protocols/folders.js';
import type { ProtocolResult } from '../md/protocols/run-protocol.js';
import { compareMeasured, type MeasuredComparison } from './measured.js';
import type { StudyScattering } from './scattering.js';
import type { StudySpec } from './spec.js';
import type { StudyStructureRow } from './structure.js';

export interface StudyTransportRow {
  temperatureK: number;
  /** Mean temperature of the production run (thermostat check). */
  measuredTemperatureK: number;
  /** Mean density of the production run (g/cm3): the model's own under NVT, the barostat's under NPT. */
  densityGPerCm3: number;
  result: TransportResult;
}

export interface StudyResult {
  name: string;
  quick: boolean;
  rows: StudyTransportRow[];
  /** Per series temperature: environments, bonded topology, angles (absent with [structure] enabled = false). */
  structure?: StudyStructureRow[];
  /**
   * Wall time of this model's parts (s): the protocol run (a resumed run counts only what ran
   * this time), the transport analysis and the structure analyses, as measured on this machine.
   */
  timingsS?: { run: number; transport: number; structure: number };
  /** Arrhenius of the pooled dihedral jump rate over the series temperatures (with structure). */
  jumpRateArrhenius?: JumpRateArrhenius;
  arrhenius: ArrheniusSummary;
  /** The Arrhenius window used. */
  windowK: [number, number];
  /** Measured sigma(T) against the simulated Arrhenius line (with [measured]). */
  measured?: MeasuredComparison;
  /** The model against measured PDF data (with [scattering]; study/scattering.ts). */
  scattering?: StudyScattering;
}

/** Transport of every series temperature and the Arrhenius fit over the window. */
export const analyseStudy = async (
  spec: StudySpec,
  run: ProtocolResult,
  runDir: string,
  options: {
    quick: boolean;
    onWarning?: (m: string) => void;
    onTemperature?: (T: number) => void;
    /** Spacing of the species' probability-density grid over each production run (A); none when absent. */
    densityGridSpacingA?: number;
    /** Each temperature's whole analysis (MSD curves, density grid), e.g. to write them; not kept. */
    onRun?: (temperatureK: number, run: TransportRun) => Promise<void>;
  },
): Promise<StudyResult> => {
  const series = spec.protocol.series!;
  const rows: StudyTransportRow[] = [];
  for (const T of series.temperaturesK) {
    options.onTemperature?.(T);
    const produce = series.stages[series.stages.length - 1];
    const trajectory = join(runDir, productionTrajectory(spec.protocol, T));
    const transport = await analyseTransport(readFrames(trajectory, { onWarning: options.onWarning }), {
      species: spec.transport.species,
      temperatureK: T,
      // LAMMPS dumps carry steps, not times: the frame interval from the production stage.
      timeStepFs: produce.timeStepFs,
      frameStep: produce.dumpEvery,
      fitStartPs: spec.transport.fitStartPs,
      fitEndPs: spec.transport.fitEndPs,
      densityGridSpacingA: options.densityGridSpacingA,
    });
    await options.onRun?.(T, transport);
    const result = transport.result;
    const branch = run.series?.find((b) => b.temperatureK === T);
    const summary = branch?.stages[branch.stages.length - 1];
    rows.push({
      temperatureK: T,
      measuredTemperatureK: summary?.temperatureK.mean ?? Number.NaN,
      densityGPerCm3: summary?.densityGPerCm3.mean ?? Number.NaN,
      result,
    });
  }
  const window = rows.filter(
    (r) => r.temperatureK >= spec.transport.arrheniusMinK && r.temperatureK <= spec.transport.arrheniusMaxK,
  );
  const positive = window.filter((r) => r.result.diffusivity.glsCm2PerS.value > 0);
  if (positive.length < 2)
    throw new InsufficientDataError(
      `fewer than two temperatures in ${spec.transport.arrheniusMinK}-${spec.transport.arrheniusMaxK} K have a positive ${spec.transport.species} diffusivity; run longer`,
    );
  return {
    name: spec.name,
    quick: options.quick,
    rows,
    arrhenius: arrheniusSummary(
      positive.map((r) => r.result),
      spec.transport.extrapolateK,
    ),
    windowK: [spec.transport.arrheniusMinK, spec.transport.arrheniusMaxK],
    ...(spec.measured
      ? {
          measured: await compareMeasured(
            spec.measured,
            positive.map((r) => r.result),
          ),
        }
      : {}),
  };
};
