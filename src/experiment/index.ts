/**
 * oligolyte/experiment: measurements. Impedance spectra (readers for EC-Lab, Gamry, ZPlot, Autolab,
 * CH Instruments, Parstat and CSV; equivalent circuits in impedance.py's notation with analytic
 * derivatives; least-squares fits; the Lin-KK test), conductivity from pellets and its
 * temperature dependence (Arrhenius and VTF), DC polarisation (transference number, electronic
 * conductivity), the glass transition from DSC and per-cycle capacities from cyclers.
 */
export { type Circuit, circuit, circuitImpedance, circuitImpedanceAndJacobian } from './circuits/circuit.js';
export { ELEMENTS, type ElementType } from './circuits/elements.js';
export {
  type CircuitNode,
  CircuitSyntaxError,
  circuitElements,
  parseCircuit,
} from './circuits/parse-circuit.js';
export { type ConductivityTemperatureFit, fitConductivityTemperature } from './conductivity/arrhenius-vtf.js';
export { type BulkResistance, bulkFromFit, bulkFromIntercept } from './conductivity/bulk-resistance.js';
export { type Conductivity, cellConstant, conductivity, type Pellet } from './conductivity/pellet.js';
export { analyseCycling, type CycleRow, type CyclingOptions, type CyclingResult } from './cycling/cycling.js';
export {
  type CurrentTrace,
  currentTrace,
  type PolarisationCurrents,
  polarisationCurrents,
} from './dc/current-time.js';
export {
  electronicConductivity,
  type TransferenceInput,
  type TransferenceResult,
  transferenceNumber,
} from './dc/transference.js';
export {
  type ConductivityArrheniusResult,
  type ConductivityOptions,
  type ConductivityRun,
  conductivityArrheniusFiles,
  conductivityFiles,
  type EisFitRun,
  fitSpectrumFiles,
  type KKRun,
  linKKFiles,
  type PointSelection,
  readSelectedSpectrum,
  type SpectrumFileOptions,
} from './eis-files.js';
export {
  type CircuitFit,
  type FitOptions,
  type FitStart,
  fitCircuit,
  initialGuess,
  WEIGHTINGS,
  type Weighting,
} from './fitting/fit-circuit.js';
export {
  type LeastSquaresProblem,
  type LeastSquaresResult,
  levenbergMarquardt,
} from './fitting/levenberg-marquardt.js';
export {
  type CurrentFileOptions,
  cyclingFromFile,
  type DscFileResult,
  type ElectronicFileResult,
  electronicFromFile,
  glassTransitionFromFile,
  type TransferenceFileResult,
  type TransferenceResistances,
  transferenceFromFiles,
} from './lab-files.js';
export { type ImaginarySign, parseCsvSpectrum } from './readers/csv.js';
export {
  detectSpectrumFormat,
  parseSpectrum,
  type ReadSpectrumOptions,
  readSpectrum,
  SPECTRUM_FORMATS,
} from './readers/read-spectrum.js';
export { type Spectrum, type SpectrumFormat, selectPoints } from './readers/spectrum.js';
export {
  findColumn,
  type NamedTable,
  numericColumn,
  parseNamedTable,
  readNamedTable,
} from './readers/table.js';
export {
  arrheniusCsv,
  arrheniusJson,
  arrheniusTable,
  conductivityCsv,
  conductivityJson,
  conductivityTable,
  eisFitCsv,
  eisFitJson,
  eisFitResidualsCsv,
  eisFitTable,
  kkCsv,
  kkTable,
} from './report/eis-report.js';
export {
  cyclingCsv,
  cyclingTable,
  dscCsv,
  dscTable,
  electronicCsv,
  electronicTable,
  transferenceCsv,
  transferenceTable,
} from './report/lab-report.js';
export { type CsvTable, writeCsv, writeJson } from './report/report-output.js';
export {
  type GlassTransition,
  type GlassTransitionOptions,
  glassTransition,
} from './thermal/glass-transition.js';
export {
  LINKK_FIT_TYPES,
  type LinKKFitType,
  type LinKKOptions,
  type LinKKResult,
  linKK,
  linKKTimeConstants,
} from './validation/lin-kk.js';
