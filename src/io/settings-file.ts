import { readFileSync } from 'node:fs';
import { parse as parseToml } from 'smol-toml';
import { OptionError, ParseError } from '../core/errors.js';
import { checkJsonNesting } from '../core/json-nesting.js';
import { jsonKeyLocation, type KeyPath, type TextLocation, tomlKeyLocation } from './text/key-location.js';

/** Every table and list of a parsed settings file -> its file text and key path, for locations. */
const origins = new WeakMap<object, { locate: (path: KeyPath) => TextLocation | undefined; path: KeyPath }>();

const remember = (node: unknown, locate: (path: KeyPath) => TextLocation | undefined, path: KeyPath) => {
  if (typeof node !== 'object' || node === null || origins.has(node)) return;
  origins.set(node, { locate, path });
  if (Array.isArray(node)) for (const [k, v] of node.entries()) remember(v, locate, [...path, k]);
  else for (const [k, v] of Object.entries(node)) remember(v, locate, [...path, k]);
};

/**
 * Line and column of `key` (dotted for nested keys, '' for the table itself) of a table read by
 * readSettingsFile: the key's line, or its table's when the key is absent; undefined for tables
 * that did not come from a file.
 */
export const settingLocation = (table: object, key: string): TextLocation | undefined => {
  const o = origins.get(table);
  if (!o) return undefined;
  return o.locate([...o.path, ...(key === '' ? [] : key.split('.'))]);
};

/**
 * Read a settings file (protocol, study): JSON when the name ends in .json, else TOML. Syntax
 * errors name the file, the line and column; the tables it returns remember where their keys are
 * (settingLocation), so that a value found wrong later is reported at its line too.
 */
export const readSettingsFile = (path: string, what: string): unknown => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new OptionError(`${path}: cannot read the ${what} (${(e as Error).message})`);
  }
  let value: unknown;
  if (path.toLowerCase().endsWith('.json')) {
    checkJsonNesting(text, path);
    try {
      value = JSON.parse(text);
    } catch (e) {
      const message = (e as Error).message;
      const m = /position (\d+)/.exec(message);
      const at = m ? offsetLocation(text, Number(m[1])) : undefined;
      throw new ParseError({
        file: path,
        line: at?.line,
        column: at?.column,
        expected: 'JSON',
        found: message,
      });
    }
    remember(value, (p) => jsonKeyLocation(text, p), []);
    return value;
  }
  try {
    value = parseToml(text);
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
  remember(value, (p) => tomlKeyLocation(text, p), []);
  return value;
};

const offsetLocation = (text: string, offset: number): TextLocation => {
  const before = text.slice(0, offset);
  const nl = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: offset - nl };
};
