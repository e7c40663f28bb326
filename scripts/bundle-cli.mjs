#!/usr/bin/env node
/**
 * The command line as a bundle: `npm run build` runs this after tsc, and dist/cli/main.js becomes
 * the bundle's entry (with its chunks and worker modules beside it in dist/cli/), in place of the
 * 150-odd modules tsc emits for it. Node then reads about 30 files where it read 80 for a
 * command, each its own resolution, read and compile (what that saves: docs/speed.md, "the fifth
 * round"). tsc's own dist/cli modules stay beside the bundle, unused; the library (dist/index.js
 * and the package's other entry points) stays tsc's modules.
 *
 * esbuild compiles the TypeScript sources as the tests run them (tsx is esbuild too); the
 * dependencies stay imports of node_modules. Commands are loaded on demand (dynamic imports), so
 * each gets chunks of its own (`splitting`).
 *
 * Worker threads: a module starts one on a module beside it by name (core/worker.ts, startWorker
 * and moduleBeside; FrameWorkerPool). Every such module is an entry of the bundle, written beside
 * the chunks under its own name, where the bundled caller looks for it. They are found in the
 * sources by those calls, and the bundle is checked for every name its code starts: a worker the
 * bundle would not find fails the build, not a user's run.
 *
 *   node scripts/bundle-cli.mjs [outdir]     (default dist/cli)
 */
import { mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(repo, 'src');

/**
 * Calls that start a worker on (or import) the module `name` beside the calling file: `import.meta.url`
 * first, the name as a quoted string second (core/worker.ts asks for exactly that).
 */
const WORKER_CALL = /(?:startWorker|moduleBeside|FrameWorkerPool)\(\s*import\.meta\.url,\s*(['"])([\w-]+)\1/g;

const filesUnder = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });

/** The worker modules of the sources, by name: src/.../<name>.ts beside each caller. */
export const workerModules = () => {
  const found = new Map();
  for (const file of filesUnder(src).filter((f) => f.endsWith('.ts'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(WORKER_CALL)) {
      const name = m[2];
      const path = join(dirname(file), `${name}.ts`);
      if (!statSync(path, { throwIfNoEntry: false })?.isFile())
        throw new Error(
          `${relative(repo, file)} starts a worker on '${name}', but ${relative(repo, path)} does not exist`,
        );
      if (name === 'main')
        throw new Error(
          `${relative(repo, file)}: a worker module cannot be named 'main' (the bundle's entry)`,
        );
      const other = found.get(name);
      if (other && other !== path)
        throw new Error(
          `two worker modules are named '${name}' (${relative(repo, other)}, ${relative(repo, path)}): the bundle puts them side by side`,
        );
      found.set(name, path);
    }
  }
  return found;
};

/**
 * Bundles the command line into `outdir`: built in memory and checked first, then the last build's
 * chunks removed and the new files written (a failed check leaves the folder as it was). Returns
 * the files written.
 */
export const bundleCli = async (outdir = join(repo, 'dist', 'cli')) => {
  const workers = workerModules();
  const result = await build({
    // (The metafile's paths are relative to this.)
    absWorkingDir: repo,
    entryPoints: { main: join(src, 'cli', 'main.ts'), ...Object.fromEntries(workers) },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    // Maps to the sources by path, without a copy of them (a stack trace names src/ lines).
    sourcemap: true,
    sourcesContent: false,
    chunkNames: 'chunk-[hash]',
    write: false,
    logLevel: 'warning',
  });
  const files = result.outputFiles;
  // Every worker the bundled code starts must be an entry beside it.
  const names = new Set(files.map((f) => basename(f.path)));
  for (const f of files.filter((f) => f.path.endsWith('.js')))
    for (const m of f.text.matchAll(/import\.meta\.url,\s*"([\w-]+)"/g))
      if (!names.has(`${m[1]}.js`))
        throw new Error(`${basename(f.path)} starts a worker on '${m[1]}', which the bundle does not hold`);
  // Chunk names carry a hash of their contents: the last build's would otherwise pile up.
  mkdirSync(outdir, { recursive: true });
  for (const name of readdirSync(outdir))
    if (/^chunk-[\w-]+\.js(\.map)?$/.test(name)) rmSync(join(outdir, name));
  for (const f of files) writeFileSync(f.path, f.contents);
  return files.map((f) => f.path);
};

const isMain = () => {
  try {
    return (
      !!process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))
    );
  } catch {
    return false;
  }
};
if (isMain()) {
  const outdir = process.argv[2] ? resolve(process.argv[2]) : undefined;
  bundleCli(outdir).catch((e) => {
    console.error(`bundle-cli: ${e.message}`);
    process.exit(1);
  });
}
