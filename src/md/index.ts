/**
 * oligolyte/md: the embedded engine (velocity Verlet, Nose-Hoover chain, Langevin, MTK barostat,
 * deformation), checkpoints, and simulation protocols (files, plans, stages, temperature series).
 * LAMMPS real units inside (kcal/mol, atm, fs), as the field names say.
 */
export { readCheckpoint, writeCheckpoint } from './checkpoint.js';
export {
  type ElasticOptions,
  type ElasticResult,
  elasticConstants,
  type StrainedState,
  strainedCell,
  VOIGT,
} from './elastic.js';
export { ForceKernel, type ForceOutput, newForceOutput } from './force-kernel.js';
export {
  type DeformComponent,
  type Ensemble,
  type MdCheckpoint,
  type MdOptions,
  type MdState,
  RunCancelled,
  runMd,
  type ThermoRow,
} from './integrator.js';
export { type MinimiseOptions, type MinimiseProgress, type MinimiseResult, minimise } from './minimise.js';
export {
  branchFolder,
  productionTrajectory,
  protocolTrajectoryName,
  seriesStageFolder,
  stageFolder,
  trajectoryName,
} from './protocols/folders.js';
export {
  formatDuration,
  formatPlan,
  measureStepSeconds,
  type PlannedStage,
  type PlanOptions,
  type ProtocolPlan,
  planProtocol,
  seriesMakespanSteps,
} from './protocols/plan.js';
export {
  type ProtocolSpec,
  protocolFromObject,
  protocolSteps,
  readProtocol,
  type SeriesSpec,
  type StageSpec,
  seriesBranchStages,
  seriesBranchSteps,
} from './protocols/protocol.js';
export { formatRunSummary, type ProtocolResult } from './protocols/run-layout.js';
export { type ProtocolRunOptions, runEmbeddedProtocol } from './protocols/run-protocol.js';
export {
  runStage,
  type StageEnv,
  type StageOutcome,
  type StageStart,
  type StageSummary,
  type Stat,
  topologyInit,
} from './protocols/run-stage.js';
export { type MdForceKernel, makeForceKernel, RelaxedShellKernel } from './shell-kernel.js';
export { readThermoCsv, THERMO_COLUMNS, type ThermoTable } from './thermo-csv.js';
