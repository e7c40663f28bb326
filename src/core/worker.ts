import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Start a worker thread on the module `name` (without extension) beside `importMetaUrl`. From the
 * compiled package the module is a .js file; under a TypeScript runner (the tests, `tsx`) the
 * caller is a .ts file and so is the worker, which is then loaded through tsx's loader. In the
 * bundled command line (scripts/bundle-cli.mjs) every such module is an entry of the bundle,
 * beside its chunks: pass `import.meta.url` itself as the first argument and the name as a quoted
 * string as the second (moduleBeside and FrameWorkerPool likewise), which is how that script finds
 * the module (and the build fails when the bundle would not hold it).
 */
export const startWorker = (importMetaUrl: string, name: string, options: WorkerOptions): Worker => {
  const fromSource = importMetaUrl.endsWith('.ts');
  const url = new URL(moduleBeside(importMetaUrl, name));
  return fromSource
    ? new Worker(
        // (the bare specifier resolves from the working directory: the repository, when testing)
        `import('tsx/esm/api')` +
          `.then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`,
        { ...options, eval: true },
      )
    : new Worker(url, options);
};

/**
 * The URL of the module `name` (without extension) beside `importMetaUrl`, as startWorker finds it
 * (.ts under a TypeScript runner, else .js): for a module a worker thread imports by URL.
 */
export const moduleBeside = (importMetaUrl: string, name: string): string =>
  new URL(`./${name}${importMetaUrl.endsWith('.ts') ? '.ts' : '.js'}`, importMetaUrl).href;
