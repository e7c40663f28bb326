/**
 * oligolyte/analysis: pure computations over trajectories. Today: ion transport (MSD, D with
 * calibrated intervals, conductivity, Haven ratio, Arrhenius, probability densities).
 */
export {
  ConformationAccumulator,
  type ConformationOptions,
  type ConformationResult,
  type ConformationSeries,
  conformations,
  type Estimate95,
  findLinks,
  type LinkResult,
  type RotationResult,
  torsionDeg,
  wrap120,
} from './dynamics/conformations.js';
export {
  analyseConformationFiles,
  type ConformationFileRun,
  type ConformationFilesOptions,
  type ConformationFilesResult,
  conformationsReport,
  conformationsTable,
  writeConformationsCsv,
  writeConformationsJson,
  writeRotationCsv,
} from './dynamics/conformations-report.js';
export {
  type CorrelationFitOptions,
  type CorrelationTimes,
  fitCorrelationTimes,
} from './dynamics/correlation-time.js';
export { FrameClock } from './dynamics/frame-clock.js';
export { type JumpRateArrhenius, type JumpRateRun, jumpRateArrhenius } from './dynamics/jump-arrhenius.js';
export { AutocorrelationSum, Dft, LowPassFilter } from './dynamics/spectral.js';
export {
  type ElementVacf,
  VacfAccumulator,
  type VacfOptions,
  type VacfResult,
  vacf,
} from './dynamics/vacf.js';
export {
  analyseVdosFiles,
  type VdosFileRun,
  type VdosFilesResult,
  vdosReport,
  vdosTable,
  writeVacfCsv,
  writeVdosCsv,
  writeVdosJson,
} from './dynamics/vdos-report.js';
export { type CorrelatedSlope, correlatedSlope } from './mechanics/correlated-fit.js';
export { type ElasticModuli, elasticModuli, invertMatrix, type Moduli } from './mechanics/elastic-moduli.js';
export {
  type ElasticReport,
  type ElasticReportInput,
  elasticReport,
  elasticTable,
  writeElasticCsv,
  writeElasticJson,
} from './mechanics/elastic-report.js';
export {
  analyseStressStrain,
  type StressStrainCurve,
  type StressStrainOptions,
  type StressStrainResult,
  smoothByStrain,
} from './mechanics/stress-strain.js';
export {
  readStressStrainRecord,
  STRESS_COMPONENTS,
  type StressComponent,
  type StressStrainRecord,
  type StressStrainRecordOptions,
} from './mechanics/stress-strain-record.js';
export {
  analyseStressStrainFiles,
  type StressStrainFilesResult,
  type StressStrainRun,
  type StressStrainSummary,
  stressStrainTable,
  writeStressStrainCsv,
  writeStressStrainJson,
} from './mechanics/stress-strain-report.js';
export {
  FORM_FACTOR_MODELS,
  type FormFactorModel,
  formFactorOfQ,
  pymatgenFormFactor,
} from './scattering/atomic-form-factors.js';
// Pair distribution functions with PDFfit2's model, their refinement and the two-phase fraction.
export { Formula } from './scattering/constraints.js';
export {
  type ClusterHistogram,
  clusterHistogram,
  DebyeAccumulator,
  type DebyeOptions,
  type DebyeResult,
  debyeIntensity,
  debyeIntensityExact,
} from './scattering/debye.js';
export { type FitFile, readFitFile } from './scattering/fit-file.js';
export { fitTable, writeFitCsv, writeFitFgr, writeFitJson } from './scattering/fit-report.js';
export {
  type LeastSquaresProblem,
  type LeastSquaresResult,
  levenbergMarquardt,
} from './scattering/levenberg-marquardt.js';
export {
  MdPdfAccumulator,
  type MdPdfOptions,
  type MdPdfPartial,
  type MdPdfResult,
  type MdPdfRoute,
  mdPdf,
  sphericalCutOut,
} from './scattering/md-pdf.js';
export {
  analyseDebyeFile,
  analyseMdPdfFile,
  analyseSqFile,
  type DebyeFileResult,
  debyeTable,
  type MdPdfFileResult,
  mdPdfReport,
  mdPdfTable,
  mdProfilePhase,
  type SqFileOptions,
  type SqFileResult,
  sqReport,
  sqTable,
  writeDebyeCsv,
  writeDebyeJson,
  writeMdPdfCsv,
  writeMdPdfFgr,
  writeMdPdfJson,
  writeSqCsv,
  writeSqJson,
} from './scattering/md-scattering-report.js';
export { type DerivativeVariable, pdffit2Derivatives } from './scattering/pdf-derivatives.js';
export {
  type FitDataResult,
  type FitDataSpec,
  type FitParameter,
  type FitPhaseSpec,
  type FitVariableResult,
  fitGrid,
  type PdfFitResult,
  type PdfFitSpec,
  refinePdf,
} from './scattering/pdf-fit.js';
export {
  calculatePdf,
  calculationGrid,
  calculationRange,
  cellMetric,
  crystalPairSum,
  numberDensity,
  PairSumCache,
  type PdfCalculation,
  type PdfDataModel,
  type PdfGrid,
  sphereEnvelope,
} from './scattering/pdf-model.js';
export {
  atomicMassPdffit2,
  averageAtomicMass,
  averageScatteringFactor,
  type CrystalPhase,
  crystalPhase,
  type Fraction,
  type PdfAtom,
  type PdfPhase,
  type PhaseFractions,
  type ProfilePhase,
  phaseAtomCount,
  phaseFractions,
  phaseFromFrame,
  type Radiation,
  scatteringFactor,
} from './scattering/pdf-phase.js';
export {
  type PdfReport,
  pdfReport,
  pdfTable,
  writePdfCsv,
  writePdfFgr,
  writePdfJson,
} from './scattering/pdf-report.js';
export { applyQmaxCutoff, terminationExtension } from './scattering/pdf-termination.js';
export { getVariable, parseVariable, setVariable, type VariableRef } from './scattering/pdf-variables.js';
export { PDFFIT2_ELEMENTS } from './scattering/pdffit2-elements.js';
export { type PowderProfile, type ProfileOptions, pseudoVoigtProfile } from './scattering/profile.js';
export {
  type SequentialFit,
  type SequentialRow,
  sequentialFit,
  sequentialTable,
  writeSequentialCsv,
  writeSequentialJson,
} from './scattering/sequential-fit.js';
export {
  fqFromGr,
  grFromFq,
  type SqWeighting,
  type TotalScattering,
  type TransformWindow,
  totalScatteringFromPdf,
} from './scattering/structure-factor.js';
export {
  atomsPerFormula,
  fitCrystalFraction,
  modelProfileFromFrames,
  type TwoPhaseFractions,
  type TwoPhaseOptions,
} from './scattering/two-phase-fraction.js';
export {
  crystalFromStructure,
  type HklFamily,
  isHexagonalLattice,
  type XrdCrystal,
  type XrdOptions,
  type XrdPattern,
  type XrdPeak,
  xrdPattern,
} from './scattering/xrd.js';
export {
  analyseXrdFile,
  writeXrdCsv,
  writeXrdJson,
  type XrdFileOptions,
  type XrdFileResult,
  xrdReport,
  xrdTable,
} from './scattering/xrd-report.js';
export { wavelengthA, XRD_WAVELENGTHS_A } from './scattering/xrd-wavelengths.js';
export {
  AngleAccumulator,
  type AngleDistribution,
  type AngleOptions,
  type AnglesResult,
  bondAngles,
  DEFAULT_ANGLE_CUTOFFS_A,
  DEFAULT_TRIPLES,
  parseTriple,
} from './structure/angles.js';
export {
  type AnglesFileRun,
  type AnglesFilesResult,
  analyseAngleFiles,
  anglesReport,
  anglesTable,
  writeAnglesCsv,
  writeAnglesJson,
} from './structure/angles-report.js';
export * from './structure/environments-public.js';
export {
  forEachNeighbour,
  forEachNeighbourBruteForce,
  type NeighbourQuery,
  type NeighbourVisitor,
} from './structure/neighbours.js';
export { firstMinimum, firstPeak, smoothGaussian } from './structure/peaks.js';
export {
  type AtomSelection,
  type BondedExclusion,
  parseElementPair,
  RdfAccumulator,
  type RdfCurve,
  type RdfOptions,
  type RdfPairSpec,
  type RdfPoint,
  type RdfResult,
  rdf,
} from './structure/rdf.js';
export {
  analyseRdfFiles,
  type RdfFileRun,
  type RdfFilesOptions,
  type RdfFilesResult,
  rdfReport,
  rdfTable,
  writeRdfCsv,
  writeRdfJson,
} from './structure/rdf-report.js';
export { THREADS_MIN_ATOMS, ThreadedRdfAccumulator } from './structure/rdf-threads.js';
export { type FrameSink, type StructureFilesOptions, streamRun } from './structure/run-files.js';
export {
  type BondEvent,
  BondedTopologyAccumulator,
  type BondedTopologyOptions,
  type BondedTopologyResult,
  type BondRuleOptions,
  bondedTopology,
  bondedUnits,
  bondRules,
  bondsByDistance,
  DEFAULT_BOND_CUTOFFS_A,
  DEFAULT_BOND_HYSTERESIS_A,
  IntactnessCheck,
  type IntactnessOptions,
  type IntactnessResult,
  type TopologyCensus,
  type UnitKind,
} from './structure/topology.js';
export {
  analyseTopologyFiles,
  formatEvent,
  type TopologyFileRun,
  type TopologyFilesResult,
  topologyReport,
  topologyTable,
  writeTopologyCsv,
  writeTopologyJson,
} from './structure/topology-report.js';
export {
  analyseTransport,
  type TransportOptions,
  type TransportResult,
  type TransportRun,
} from './transport/analyse-run.js';
export { type ArrheniusFit, extrapolate, fitArrhenius, fitArrheniusWeighted } from './transport/arrhenius.js';
export { type ArrheniusSummary, arrheniusSummary } from './transport/arrhenius-summary.js';
export { carrierCharge, havenRatio, nernstEinsteinFactor } from './transport/conductivity.js';
export { DensityGridAccumulator } from './transport/density-grid.js';
export {
  type CovarianceModel,
  type DiffusivityOptions,
  type DiffusivityResult,
  type Estimate,
  fitDiffusivity,
} from './transport/diffusivity.js';
export {
  type DisplacementOptions,
  DisplacementRecorder,
  type Displacements,
} from './transport/displacements.js';
export { glsLine, type LineFit, olsLine, wlsLine } from './transport/line-fit.js';
export {
  computeMsd,
  type ElementMsd,
  elementMsds,
  type LagStatistics,
  type MsdCurves,
  type MsdOptions,
  type MsdResult,
} from './transport/msd.js';
export { computeMsdThreaded } from './transport/msd-threads.js';
export {
  type PymatgenOptions,
  type PymatgenResult,
  type PymatgenSmoothing,
  pymatgenDiffusionAnalysis,
} from './transport/pymatgen-compat.js';
export { randomWalkMsdCovariance } from './transport/random-walk-covariance.js';
export {
  analyseTransportFiles,
  type TransportFileRun,
  type TransportFilesOptions,
  type TransportFilesResult,
  transportReport,
  transportTable,
  writeMsdCsv,
  writeTransportJson,
} from './transport/report.js';
export {
  aicc,
  compareVtfWithArrhenius,
  fitVtf,
  type VtfComparison,
  type VtfFit,
  vtfComparisonLines,
  vtfValue,
} from './transport/vtf.js';
