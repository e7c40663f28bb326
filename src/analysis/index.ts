export * as transport from './transport/index.js';
