/** oligolyte/chemistry: LAOC names and mixtures, the synthesis planner, isotope patterns. */
export {
  type IsotopeOptions,
  type IsotopePeak,
  isotopePattern,
  type MatchResult,
  matchPeaks,
  type PeakMatch,
} from './isotopes.js';
export {
  type MixtureUnit,
  type NamedMixture,
  parseLaocName,
  plasticiserFormula,
  tetramerFormula,
  trimerFormula,
} from './laoc-names.js';
export {
  type BatchAmounts,
  batchAmounts,
  DEFAULT_BYPRODUCTS,
  DEFAULT_REACTANTS,
  type PlanOptions,
  type PlanTerm,
  parseTarget,
  planSynthesis,
  SynthesisError,
  type SynthesisPlan,
} from './synthesis-planner.js';
