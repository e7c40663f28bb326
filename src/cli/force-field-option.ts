import { Option } from 'commander';
import { BUILTIN_FORCE_FIELDS, type CoulombMethod, DEFAULT_FORCE_FIELD } from '../forcefield/force-field.js';

/** `--ff`: a built-in force field by name (newest first) or a JSON file; the default is the library's. */
export const forceFieldOption = (): Option =>
  new Option(
    '--ff <name|file>',
    `force field: ${Object.keys(BUILTIN_FORCE_FIELDS).reverse().join(', ')} or a JSON file`,
  ).default(DEFAULT_FORCE_FIELD);

/** `--coulomb`: the electrostatics methods this command can use (MD cannot use Wolf). */
export const coulombOption = (methods: readonly CoulombMethod[]): Option =>
  new Option('--coulomb <method>', "electrostatics (default: the force field's)").choices(methods);
