/**
 * The public face of the coordination-environment analysis (re-exported by oligolyte/analysis):
 * the accumulator and whole-run functions, their reports, the shape measure, the residence
 * correlation functions and the labels.
 */
export {
  coordinationClassName,
  environmentLabel,
  NMR_CLASS_KEYS,
  type NmrClassKey,
  nmrClassName,
  nmrClassOf,
} from './coordination-labels.js';
export {
  type CoordinationCutoffs,
  CutoffFinder,
  type CutoffPair,
  type CutoffSearchOptions,
} from './environment-cutoffs.js';
export {
  DEFAULT_NEIGHBOUR_CANDIDATES,
  EnvironmentAccumulator,
  type EnvironmentOptions,
  type EnvironmentResult,
  type EnvironmentState,
  type PopulationEstimate,
  resolveEnvironmentElements,
  type ShapeStatistics,
  type StateGrouping,
  type TransitionMatrix,
} from './environments.js';
export {
  analyseEnvironmentFiles,
  analyseEnvironments,
  type EnvironmentAnalysisOptions,
  type EnvironmentFileRun,
  type EnvironmentFilesResult,
  EnvironmentRun,
  type EnvironmentRunResult,
  environmentsReport,
  environmentsTable,
  writeEnvironmentsCsv,
  writeEnvironmentsJson,
} from './environments-report.js';
export {
  type CsmCentring,
  type CsmResult,
  continuousSymmetryMeasure,
  IDEAL_POLYHEDRA,
  type IdealPolyhedron,
  POLYHEDRON_SHAPES,
  type PolyhedronShape,
  polyhedronShapes,
  shapesForCoordination,
} from './polyhedra.js';
export {
  fitLifetime,
  type LifetimeFit,
  mapStates,
  type ResidenceCorrelations,
  residenceCorrelations,
  type StateSeries,
  transitionCounts,
} from './residence.js';
