export * from './checkpoint.js';
export * from './force-kernel.js';
export * from './integrator.js';
export * from './protocols/index.js';
export * from './thermo-csv.js';
