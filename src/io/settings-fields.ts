import { ParseError } from '../core/errors.js';
import { settingLocation } from './settings-file.js';

// Settings tables read from TOML or JSON (protocols, studies): one table's keys read with their
// checks, naming the file and the key path in every error, and unknown keys refused.

/** One table of a settings file as parsed. */
export type Raw = Record<string, unknown>;

/** Reads keys of one table, naming the file and the key path in every error. */
export class Fields {
  private readonly used = new Set<string>();
  constructor(
    readonly raw: Raw,
    readonly where: string,
    readonly file: string,
  ) {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw this.error('', 'a table of settings', raw);
  }
  /** A ParseError about `key` ('' for the table itself) at its line and column, when known. */
  error(key: string, expected: string, found: unknown): ParseError {
    const path = [this.where, key].filter(Boolean).join('.');
    const at = settingLocation(this.raw, key);
    return new ParseError({
      file: this.file,
      line: at?.line,
      column: at?.column,
      expected: `${path ? `${path}: ` : ''}${expected}`,
      found: found === undefined ? 'nothing' : JSON.stringify(found),
    });
  }
  has(key: string): boolean {
    return this.raw[key] !== undefined;
  }
  num(key: string, def: number | undefined, test: (v: number) => boolean, expected: string): number {
    this.used.add(key);
    const v = this.raw[key];
    if (v === undefined) {
      if (def === undefined) throw this.error(key, expected, v);
      return def;
    }
    if (typeof v !== 'number' || !Number.isFinite(v) || !test(v)) throw this.error(key, expected, v);
    return v;
  }
  positive(key: string, def: number | undefined, unit: string): number {
    return this.num(key, def, (v) => v > 0, `a positive number (${unit})`);
  }
  whole(key: string, def: number | undefined, min = 0): number {
    return this.num(key, def, (v) => Number.isInteger(v) && v >= min, `a whole number >= ${min}`);
  }
  str<T extends string>(key: string, def: T | undefined, choices?: readonly T[]): T {
    this.used.add(key);
    const v = this.raw[key];
    if (v === undefined) {
      if (def === undefined) throw this.error(key, choices ? `one of ${choices.join(', ')}` : 'a string', v);
      return def;
    }
    if (typeof v !== 'string' || (choices && !choices.includes(v as T)))
      throw this.error(key, choices ? `one of ${choices.join(', ')}` : 'a string', v);
    return v as T;
  }
  bool(key: string, def: boolean): boolean {
    this.used.add(key);
    const v = this.raw[key];
    if (v === undefined) return def;
    if (typeof v !== 'boolean') throw this.error(key, 'true or false', v);
    return v;
  }
  /** Unknown keys are errors (a misspelt setting must not be silently ignored). */
  done(): void {
    for (const k of Object.keys(this.raw))
      if (!this.used.has(k)) throw this.error(k, `a known setting (not "${k}")`, this.raw[k]);
  }
  use(key: string): unknown {
    this.used.add(key);
    return this.raw[key];
  }
}
