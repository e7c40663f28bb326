import { readFileSync } from 'node:fs';
import { OptionError } from '../core/errors.js';
import { checkJsonNesting } from '../core/json-nesting.js';
import { BUILTIN_FORCE_FIELDS, type ForceField, validateForceField } from './force-field.js';

/** A built-in force field by name ("laoc-v1") or a JSON file of the same shape, validated. */
export const loadForceField = (nameOrPath: string): ForceField => {
  const builtin = BUILTIN_FORCE_FIELDS[nameOrPath];
  if (builtin) return builtin;
  let text: string;
  try {
    text = readFileSync(nameOrPath, 'utf8');
  } catch {
    throw new OptionError(
      `unknown force field "${nameOrPath}": not a built-in one (${Object.keys(BUILTIN_FORCE_FIELDS).join(', ')}) nor a readable JSON file`,
    );
  }
  let json: unknown;
  checkJsonNesting(text, nameOrPath);
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new OptionError(`${nameOrPath}: not valid JSON: ${(e as Error).message}`);
  }
  return validateForceField(json, nameOrPath);
};
