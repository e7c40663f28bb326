import { parseLaocName } from '../chemistry/laoc-names.js';
import { OptionError } from '../core/errors.js';
import {
  buildBridgedPair,
  buildOligomer,
  buildTetrachloroaluminate,
  type Molecule,
  type OligomerOptions,
} from './oligomer.js';

/** A chloride anion as a one-atom unit (LiCl in a model = Cl- here + a counter-cation). */
export const chloride = (): Molecule => ({
  symbols: ['Cl'],
  positions: new Float64Array(3),
  bonds: [],
  roles: ['Cl_free'],
  charge: -1,
});

/**
 * Parse a packing mix "0b:6,1b:2,AlCl4:2,LiCl:1" into units and counts: 0b, 1b, 2b (trimers with
 * that many bridging Cl, ring-closed within the trimer), pair (two trimers bridged by a Cl between
 * them: 0b + 1b in composition), tetramer, dimer, AlCl4 (the plasticiser anion) and LiCl (a free
 * chloride; the cation comes with the counter-cations).
 */
export const parseMix = (
  text: string,
  geometry: OligomerOptions = {},
): { molecule: Molecule; count: number; label: string }[] => {
  const out: { molecule: Molecule; count: number; label: string }[] = [];
  let seed = geometry.seed ?? 1;
  for (const part of text
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)) {
    const m = /^([^:]+):(\d+)$/.exec(part);
    if (!m)
      throw new OptionError(
        `\`mix\`: "${part}" is not unit:count (units: 0b, 1b, 2b, dimer, tetramer, AlCl4, LiCl)`,
        { option: 'mix' },
      );
    const [, unit, countText] = m;
    const count = Number(countText);
    let molecule: Molecule;
    // Each kind of unit gets its own geometry seed, derived from the build seed.
    const opts = { ...geometry, seed: seed++ };
    switch (unit.toLowerCase()) {
      case '0b':
      case '1b':
      case '2b':
        molecule = buildOligomer({ ...opts, length: 3, bridges: Number(unit[0]) as 0 | 1 | 2 });
        break;
      case 'dimer':
        molecule = buildOligomer({ ...opts, length: 2 });
        break;
      case 'tetramer':
        molecule = buildOligomer({ ...opts, length: 4 });
        break;
      case 'pair':
        // Two trimers joined by an inter-oligomer Cl bridge (0b + 1b in composition).
        molecule = buildBridgedPair(opts);
        break;
      case 'alcl4':
        molecule = buildTetrachloroaluminate(geometry.alClTerminal);
        break;
      case 'licl':
      case 'cl':
        molecule = chloride();
        break;
      default:
        throw new OptionError(
          `\`mix\`: unknown unit "${unit}" (0b, 1b, 2b, pair, dimer, tetramer, AlCl4, LiCl)`,
          { option: 'mix' },
        );
    }
    out.push({ molecule, count, label: unit });
  }
  if (out.length === 0) throw new OptionError('`mix`: no units', { option: 'mix' });
  return out;
};

/**
 * Units and cations for `trimers` trimers of a named LAOC mixture ("LAOC^1.5b", "PNAOC^0.3b",
 * "(Na0.75K0.25)AOC^1b"): the mixture's smallest whole-number recipe scaled to that many trimers
 * (plasticiser anions with it), and its cations split by their fractions. Errors say when the
 * count cannot hold the mixture's ratios exactly.
 */
export const mixFromComposition = (
  name: string,
  trimers: number,
  geometry: OligomerOptions = {},
): {
  units: { molecule: Molecule; count: number; label: string }[];
  cations: { element: string; count: number }[];
} => {
  const mixture = parseLaocName(name);
  const isTrimer = (label: string) => /\^\db$/.test(label);
  const perRecipe = mixture.units
    .filter((u) => isTrimer(u.label) || /tetramer/.test(u.label))
    .reduce((s, u) => s + u.count, 0);
  if (!Number.isInteger(trimers) || trimers < 1 || trimers % perRecipe !== 0)
    throw new OptionError(
      `${name} is ${mixture.units.map((u) => `${u.count} ${u.label}`).join(' + ')}: the number of oligomers must be a multiple of ${perRecipe}, not ${trimers}`,
    );
  const scale = trimers / perRecipe;
  let seed = geometry.seed ?? 1;
  const units = mixture.units.map((u) => {
    const opts = { ...geometry, seed: seed++ };
    const bridges = /\^(\d)b$/.exec(u.label);
    const molecule = bridges
      ? buildOligomer({ ...opts, length: 3, bridges: Number(bridges[1]) as 0 | 1 | 2 })
      : /tetramer/.test(u.label)
        ? buildOligomer({ ...opts, length: 4 })
        : buildTetrachloroaluminate(geometry.alClTerminal);
    return { molecule, count: u.count * scale, label: u.label };
  });
  const charge = -units.reduce((s, u) => s + u.molecule.charge * u.count, 0);
  const cations = [...mixture.cations].map(([element, fraction]) => {
    const count = fraction * charge;
    if (Math.abs(count - Math.round(count)) > 1e-9)
      throw new OptionError(
        `${trimers} oligomers of ${name} need ${count} ${element}+, not a whole number; use more oligomers`,
      );
    return { element, count: Math.round(count) };
  });
  return { units, cations };
};
