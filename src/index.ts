/**
 * oligolyte: one namespace per layer (also importable on its own: `oligolyte/io`,
 * `oligolyte/analysis`, ...), and the names most scripts start from.
 */
export * as analysis from './analysis/index.js';
export { analyseTransport, analyseTransportFiles } from './analysis/index.js';
export * as builders from './builders/index.js';
export { packGlass, parseMix } from './builders/index.js';
export * as chemistry from './chemistry/index.js';
export * as core from './core/index.js';
export {
  Lattice,
  OligolyteError,
  OptionError,
  ParseError,
  PhysicsError,
  type Structure,
  Topology,
} from './core/index.js';
export * as engines from './engines/index.js';
export { runProtocol } from './engines/index.js';
export * as experiment from './experiment/index.js';
export { fitCircuit, linKK, readSpectrum } from './experiment/index.js';
export * as forcefield from './forcefield/index.js';
export { prepareSystem } from './forcefield/index.js';
export * as io from './io/index.js';
export { readFrames, readStructure, summariseFile, writeFrames, writeStructure } from './io/index.js';
export * as md from './md/index.js';
export { planProtocol, readProtocol } from './md/index.js';
export * as report from './report/index.js';
export { readReportInput, writeReport } from './report/index.js';
export * as study from './study/index.js';
export { readStudy, runStudy } from './study/index.js';
