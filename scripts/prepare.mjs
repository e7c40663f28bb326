#!/usr/bin/env node
/**
 * npm's `prepare` script: builds dist/ (`npm run build`: tsc, the command line bundled by esbuild,
 * then made executable), so that `npm install -g <folder>`, `npm pack`, `npx <folder or git URL>`
 * give a working `oligolyte`. npm runs it after `npm ci` / `npm install` in the repository, where
 * the devDependencies (tsc, esbuild) are installed; but also in a bare checkout, for
 * `npm install -g <folder>` (npm links the folder and installs nothing in it). Then this installs
 * the dependencies in the checkout first, as the lock file says (`npm ci` here, with the
 * devDependencies, not global; --ignore-scripts stops npm running this script again).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const npm = (...args) => {
  // npm_execpath is npm's own CLI script when npm runs this; `npm` on the PATH otherwise.
  const cli = process.env.npm_execpath;
  const r = cli
    ? spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit' })
    : spawnSync('npm', args, { stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

// `npm install -g <git URL>`: npm prepares the clone with a nested install that inherits the global
// flag, so it links the global package to its temporary clone, which it then deletes
// (npm/cli#4148, #6984, #8440). Say so and how to install instead, rather than leave a dead link.
if (process.env._PACOTE_NO_PREPARE_ && process.env.npm_config_global === 'true') {
  console.error(
    'oligolyte: npm cannot install a git checkout globally when it has to build it (npm/cli#8440).\n' +
      'Instead: `npx <git URL>`, or `npm pack <git URL>` then `npm install -g ./oligolyte-<version>.tgz`,\n' +
      'or clone it and run `npm install -g .` in the clone (the command then runs from the clone).',
  );
  process.exit(1);
}
if (!existsSync('node_modules/typescript/bin/tsc') || !existsSync('node_modules/esbuild/package.json')) {
  console.error(
    'oligolyte prepare: no typescript or esbuild in node_modules here; installing the dependencies first',
  );
  npm(
    'ci',
    '--prefix',
    process.cwd(),
    '--include=dev',
    '--global=false',
    '--ignore-scripts',
    '--no-audit',
    '--no-fund',
  );
}
npm('run', 'build');
