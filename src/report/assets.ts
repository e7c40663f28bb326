import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OligolyteError } from '../core/errors.js';

/**
 * The browser libraries inlined into every report (no CDN: the page opens from disk offline):
 * the Vega runtime (the plots arrive compiled to Vega) and 3Dmol.js (the 3-D view). Found in the
 * nearest node_modules above this module (src/ under tsx, dist/ when built).
 */
const packageFile = (pkg: string, file: string): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const path = join(dir, 'node_modules', pkg, file);
    if (existsSync(path)) return path;
    const up = dirname(dir);
    if (up === dir)
      throw new OligolyteError(`cannot find ${pkg}/${file} in node_modules (reinstall oligolyte)`);
    dir = up;
  }
};

const cache = new Map<string, string>();

/** A library's minified build, made safe to sit inside an inline <script> element. */
const inlineScript = (pkg: string, file: string): string => {
  const key = `${pkg}/${file}`;
  let text = cache.get(key);
  if (text === undefined) {
    // "</script" would end the element early; neither build has it today, but stay safe.
    text = readFileSync(packageFile(pkg, file), 'utf8').replace(/<\/script/gi, '<\\/script');
    cache.set(key, text);
  }
  return text;
};

export const vegaRuntime = (): string => inlineScript('vega', 'build/vega.min.js');
export const threeDmolRuntime = (): string => inlineScript('3dmol', 'build/3Dmol-min.js');
