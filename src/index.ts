export * from './analysis/index.js';
export * as build from './builders/index.js';
export * as chemistry from './chemistry/index.js';
export * from './core/index.js';
export * as forcefield from './forcefield/index.js';
export * from './io/index.js';
export * as md from './md/index.js';
