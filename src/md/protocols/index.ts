export * from './protocol.js';
export * from './run-protocol.js';
export * from './run-stage.js';
