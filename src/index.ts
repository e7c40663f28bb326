export * from './analysis/index.js';
export * as chemistry from './chemistry/index.js';
export * from './core/index.js';
export * from './io/index.js';
