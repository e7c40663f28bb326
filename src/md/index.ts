export * from './checkpoint.js';
export * from './force-kernel.js';
export * from './integrator.js';
