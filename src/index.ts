export * from './core/index.js';
export * from './io/index.js';
export * from './analysis/index.js';
