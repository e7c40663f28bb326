import { OptionError } from '../core/errors.js';
import type { Structure } from '../core/frame.js';
import { type CoulombMethod, DEFAULT_FORCE_FIELD, type ForceField, withCoulomb } from './force-field.js';
import { loadForceField } from './load.js';
import { checkOverlap } from './overlap.js';
import { type TypedSystem, typeSystem } from './typing.js';

/** Which force field to use, as a protocol, a study or a command names it. */
export interface ForceFieldChoice {
  /** A built-in name (`laoc-v4`, ...) or a force-field JSON file; default DEFAULT_FORCE_FIELD. */
  forcefield?: string;
  /** Electrostatics instead of the force field's own (`wolf` is energy-only: not for MD). */
  coulomb?: CoulombMethod;
}

/** The force field a choice names, with its Coulomb override applied. */
export const resolveForceField = (choice: ForceFieldChoice): ForceField => {
  const loaded = loadForceField(choice.forcefield ?? DEFAULT_FORCE_FIELD);
  return choice.coulomb ? withCoulomb(loaded, choice.coulomb) : loaded;
};

/** A structure typed for a force field: what every energy, MD and LAMMPS run starts from. */
export interface PreparedSystem {
  ff: ForceField;
  sys: TypedSystem;
}

/**
 * Type the structure's atoms for a force field (types and charges from a built model's roles,
 * else from bonds perceived by distance); overlapping atoms (overlap.ts) are a PhysicsError. The force field is a choice (loaded here, with its
 * Coulomb override) or one already resolved (a caller that validates it before reading files).
 */
export const prepareSystem = (
  structure: Structure,
  forceField: ForceFieldChoice | ForceField,
): PreparedSystem => {
  const ff = 'atomTypes' in forceField ? forceField : resolveForceField(forceField);
  // Overlapping atoms make every energy and step meaningless: refused before anything runs.
  checkOverlap(structure.frame.positions, structure.frame.lattice, (i) => structure.topology.symbol(i));
  const sys = typeSystem(structure, ff);
  if (sys.natoms !== structure.topology.natoms)
    throw new OptionError(`typing changed the atom count (${structure.topology.natoms} -> ${sys.natoms})`);
  return { ff, sys };
};
