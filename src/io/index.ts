/**
 * oligolyte/io: read and write structures and trajectories in every supported format (streamed,
 * .gz transparent), summarise a file, read LAMMPS logs (thermo output of every run), write
 * volumetric data.
 */
export { type FileSummary, formatFileSummary, summariseFile } from './file-summary.js';
export type { Format, ReadOptions, WriteOptions } from './format.js';
export {
  type CrystalReadOptions,
  parseCifCrystal,
  readCifCrystal,
  reciprocalLengths,
} from './formats/cif-sites.js';
export {
  type FgrCurves,
  formatFgr,
  type PdfData,
  type PdfDataMeta,
  parsePdfData,
  readPdfData,
  writeFgr,
} from './gr.js';
export {
  isLammpsLog,
  type LammpsLog,
  type LammpsLogOptions,
  type LammpsLogRun,
  looksLikeLammpsLog,
  readLammpsLog,
} from './lammps-log.js';
export {
  formatLammpsLogSummary,
  LAMMPS_LOG_AVERAGED,
  type LammpsLogColumnMean,
  type LammpsLogRunSummary,
  type LammpsLogSummary,
  lammpsLogSummary,
  summariseLammpsLog,
} from './lammps-log-summary.js';
export { readDcdAhead } from './read-ahead.js';
export {
  detectFormat,
  FORMATS,
  type FrameSlice,
  formatByName,
  formatForOutput,
  type OpenOptions,
  readFrames,
  readStructure,
  writeFrames,
  writeStructure,
} from './registry.js';
export {
  type CrystalModel,
  type CrystalSite,
  formatStru,
  isotropicU,
  normaliseSiteElement,
  parseStru,
  readStru,
  writeStru,
} from './stru.js';
export { writeChgcar, writeCube } from './volumetric.js';
