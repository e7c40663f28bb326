export * from './oligomer.js';
export * from './pack-glass.js';
export * from './substituted-crystal.js';
export * from './supercell.js';
export * from './mix.js';
