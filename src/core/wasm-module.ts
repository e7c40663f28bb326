/** `bytes` rounded up to a multiple of 16: where a kernel's arrays start (SIMD loads and stores). */
export const align16 = (bytes: number): number => Math.ceil(bytes / 16) * 16;

/**
 * A WebAssembly module from its base64 bytes (a *-wasm-bytes.ts module that wasm/build.mjs
 * writes), compiled on first use, once per thread; undefined where the runtime cannot run it (no
 * WebAssembly, or not the features it uses: SIMD, shared memory), so that its caller falls back
 * to its JavaScript twin.
 */
export const lazyWasmModule = (base64: string): (() => WebAssembly.Module | undefined) => {
  let compiled: WebAssembly.Module | null | undefined;
  return () => {
    if (compiled === undefined) {
      const bytes = Buffer.from(base64, 'base64');
      compiled =
        typeof WebAssembly !== 'undefined' && WebAssembly.validate(bytes)
          ? new WebAssembly.Module(bytes)
          : null;
    }
    return compiled ?? undefined;
  };
};
