/**
 * oligolyte/study: the whole workflow from a study file: build the model(s), run the protocol,
 * analyse the transport of every series temperature, fit Arrhenius, average replicas.
 */
export { analyseStudy, type StudyResult, type StudyTransportRow } from './analysis.js';
export { buildStudyModel } from './model.js';
export {
  replicaTable,
  STUDY_DENSITY_GRID_A,
  studyCurveFiles,
  studyTable,
  writeReplicaOutputs,
  writeStudyCurves,
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
export { quickProtocol, readStudy, type StudySpec, studyFromObject } from './spec.js';
