import type { OligolyteError } from '../core/errors.js';

/**
 * The library's option names (as its errors name them, in backticks, and in OligolyteError.option)
 * and this CLI's flags for them. A name qualified by its function (`writeFrames.format`) is used
 * where the bare name means different flags.
 */
export const OPTION_FLAGS: Readonly<Record<string, string>> = {
  fitStartPs: '--fit-start',
  fitEndPs: '--fit-end',
  frameStep: '--frame-step',
  timeStepFs: '--time-step',
  temperatureK: '--temperature',
  charge: '--charge',
  mix: '--mix',
  species: '--elements',
  typeMap: '--type-map',
  topology: '--topology',
  // The CLI's --topology file brings the cell too.
  cell: '--topology',
  frames: '--frames',
  resume: '--resume',
  'readFrames.format': '--from',
  'writeFrames.format': '--to',
  shape: '--shape',
  // oligolyte structure rdf / angles
  rMaxA: '--rmax',
  bins: '--bins',
  binWidthA: '--dr',
  pairs: '--pairs',
  exclude: '--exclude-bonded',
  triples: '--triples',
  cutoffsA: '--cutoffs',
  neighbours: '--bonds',
  // oligolyte eis (EC-Lab files with several spectra)
  cycle: '--cycle',
  // oligolyte eis fit / conductivity / arrhenius (the circuit fit's parameters)
  'fitCircuit.initialGuess': '--guess',
  'fitCircuit.lower': '--lower',
  'fitCircuit.upper': '--upper',
  // named beside `lower` in the bounds error (whose option is fitCircuit.lower)
  upper: '--upper',
  // oligolyte scatter pdf-md / sq / debye
  drA: '--dr',
  histogramBinA: '--bin',
  uIsoA2: '--uiso',
  qmaxInvA: '--qmax',
  qdampInvA: '--qdamp',
  route: '--route',
  sphereDiameterA: '--diameter',
  sphereCentres: '--centres',
  // oligolyte scatter pdf
  defaultUiso: '--uiso',
  uiso: '--uiso',
  // oligolyte mechanics stress-strain / elastic, oligolyte minimise
  component: '--component',
  run: '--run',
  strainColumn: '--strain-column',
  stressColumn: '--stress-column',
  stressUnit: '--stress-unit',
  linearWindow: '--window',
  linearTolerance: '--tolerance',
  smoothingStrain: '--smooth',
  yieldOffset: '--offset',
  forceTolerance: '--force-tolerance',
  energyTolerance: '--energy-tolerance',
  maxSteps: '--max-steps',
  strain: '--strain',
  producePs: '--produce',
};

/**
 * An error's message as the CLI prints it: for an error about a library option, each option name
 * in backticks becomes this CLI's flag (the error's own option by its qualified name, so that
 * `format` reads --from or --to as the case may be); other messages are unchanged.
 */
export const cliMessage = (e: OligolyteError): string => {
  const option = e.option;
  if (option === undefined) return e.message;
  return e.message.replace(/`([A-Za-z][\w.]*)`/g, (text, name: string) => {
    const key = option === name || option.endsWith(`.${name}`) ? option : name;
    return OPTION_FLAGS[key] ?? text;
  });
};
