/**
 * oligolyte/study: the whole workflow from a study file: build the model(s), run the protocol,
 * analyse the transport of every series temperature, fit Arrhenius, average replicas; and DFT
 * reference data sets (sampled configurations run through CP2K).
 */
export { analyseStudy, type StudyResult, type StudyTransportRow } from './analysis.js';
export {
  type DatasetProgress,
  type DatasetRunOptions,
  datasetFrameText,
  runDataset,
} from './dft-dataset.js';
export { type DatasetPlan, datasetPlanFromObject, readDatasetPlan } from './dft-dataset-plan.js';
export { type DatasetConfig, planConfigs } from './dft-dataset-sample.js';
export {
  type MechanicsDirectionSummary,
  type MechanicsRun,
  type MechanicsStudyOptions,
  type MechanicsStudyResult,
  mechanicsTable,
  runStudyMechanics,
  writeMechanicsOutputs,
} from './mechanics.js';
export {
  DIRECTIONS,
  type MechanicsDirection,
  type MechanicsSpec,
  mechanicsFromFields,
} from './mechanics-spec.js';
export { buildStudyModel } from './model.js';
export {
  replicaTable,
  STUDY_DENSITY_GRID_A,
  studyCurveFiles,
  studyTable,
  writeReplicaOutputs,
  writeStudyCurves,
  writeStudyDihedrals,
  writeStudyOutputs,
} from './output.js';
export { combineReplicas, type ReplicaSummary } from './replicas.js';
export {
  defaultStudyFolder,
  runStudy,
  type StudyHooks,
  type StudyOutcome,
  type StudyPlan,
  type StudyRunOptions,
} from './run-study.js';
export {
  analyseScattering,
  runStudyScattering,
  SCATTERING_CURVE_FILES,
  type ScatteringCurves,
  type ScatteringEstimate,
  type StudyScattering,
  writeScatteringCurves,
} from './scattering.js';
export { LICL_ROCKSALT_CIF, liclPhase } from './scattering-licl.js';
export { scatteringLines } from './scattering-output.js';
export { type ScatteringSpec, scatteringFromFields } from './scattering-spec.js';
export { quickProtocol, readStudy, type StudySpec, studyFromObject } from './spec.js';
