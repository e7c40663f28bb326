export * from './analysis/index.js';
export * from './core/index.js';
export * from './io/index.js';
