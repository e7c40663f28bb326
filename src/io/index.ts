/**
 * oligolyte/io: read and write structures and trajectories in every supported format (streamed,
 * .gz transparent), summarise a file, write volumetric data.
 */
export { type FileSummary, formatFileSummary, summariseFile } from './file-summary.js';
export type { Format, ReadOptions, WriteOptions } from './format.js';
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
export { writeChgcar, writeCube } from './volumetric.js';
