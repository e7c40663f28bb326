export * from './byte-source.js';
export type { Format, ReadOptions, WriteOptions } from './format.js';
export { parseSymop } from './formats/cif.js';
export { parseExtxyzComment } from './formats/extxyz.js';
export * from './registry.js';
export { TextSink } from './text-sink.js';
export * from './volumetric.js';
