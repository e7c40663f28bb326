export * from './isotopes.js';
export * from './laoc-names.js';
export * from './rational.js';
export * from './synthesis-planner.js';
