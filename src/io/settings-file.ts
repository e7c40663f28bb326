import { readFileSync } from 'node:fs';
import { parse as parseToml } from 'smol-toml';
import { OptionError, ParseError } from '../core/errors.js';

/**
 * Read a settings file (protocol, study): JSON when the name ends in .json, else TOML. Syntax
 * errors name the file (and for TOML the line and column); `what` names the file's role.
 */
export const readSettingsFile = (path: string, what: string): unknown => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new OptionError(`${path}: cannot read the ${what} (${(e as Error).message})`);
  }
  if (path.toLowerCase().endsWith('.json')) {
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new ParseError({ file: path, expected: 'JSON', found: (e as Error).message });
    }
  }
  try {
    return parseToml(text);
  } catch (e) {
    const err = e as Error & { line?: number; column?: number };
    throw new ParseError({
      file: path,
      line: err.line,
      column: err.column,
      expected: 'TOML',
      found: err.message.split('\n')[0],
    });
  }
};
