export * from './dihedral.js';
export * from './energy.js';
export * from './force-field.js';
export * from './load.js';
export * from './typing.js';
export * from './system.js';
