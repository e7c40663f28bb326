import { createRequire } from 'node:module';
import type * as MlMatrix from 'ml-matrix';

/**
 * ml-matrix, loaded on first use: the transport fits work on flat arrays (line-fit.ts) and need it
 * only for the rare eigenvalue floor and for the Matrix-typed public functions, while loading it
 * costs about 17 ms of every transport run's start-up (issue 28). The same module instance as a
 * static import (its ES entry re-exports this CommonJS one), so Matrix objects mix freely.
 */
let loaded: typeof MlMatrix | undefined;
export const mlMatrix = (): typeof MlMatrix =>
  (loaded ??= createRequire(import.meta.url)('ml-matrix') as typeof MlMatrix);
