export * from './analysis.js';
export * from './model.js';
export * from './output.js';
export * from './replicas.js';
export * from './run-study.js';
export * from './spec.js';
