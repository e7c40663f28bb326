import { OptionError } from '../core/errors.js';

/**
 * A number option: undefined when it is not given; else its value, which must be a finite number
 * that passes `check`, or an OptionError `<flag>: "<value>" is not <what>`.
 */
export function parseNumber(value: string, flag: string, check: (v: number) => boolean, what: string): number;
export function parseNumber(
  value: string | undefined,
  flag: string,
  check: (v: number) => boolean,
  what: string,
): number | undefined;
export function parseNumber(
  value: string | undefined,
  flag: string,
  check: (v: number) => boolean,
  what: string,
): number | undefined {
  if (value === undefined) return undefined;
  const v = Number(value);
  if (value.trim() === '' || !Number.isFinite(v) || !check(v))
    throw new OptionError(`${flag}: "${value}" is not ${what}`);
  return v;
}

export const isPositive = (v: number): boolean => v > 0;
export const isWholeAtLeastOne = (v: number): boolean => Number.isInteger(v) && v >= 1;
