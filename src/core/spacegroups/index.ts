export * from './hall-symbol.js';
export * from './lookup.js';
