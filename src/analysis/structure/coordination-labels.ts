/**
 * Names of coordination environments: the generic label by element counts (Li[O2Cl3]), the
 * coordination-number class (CN 5) and the study's 7Li NMR grouping (You et al., see
 * ../shared/SCIENCE.md section 4: Li[Cl6] at -1.05 ppm, Li[OnCl5-n] at -0.55 ppm, Li[OmCl4-m] at
 * 0.05 ppm):
 *
 * - [Cl6]: exactly 6 neighbours, all Cl;
 * - [OnCl5-n]: exactly 5 neighbours, each O or Cl (n = 0..5, so Li[Cl5] and Li[O5] too);
 * - [OmCl4-m]: exactly 4 neighbours, each O or Cl (m = 0..4);
 * - other: everything else. In particular a 6-coordinate centre with at least one O (Li[OCl5],
 *   Li[O2Cl4], ...) is "other", not [Cl6]: NMR assigns the -1.05 ppm site to all-Cl octahedra
 *   only. So are CN <= 3, CN >= 7, and any environment with a neighbour that is neither O nor Cl.
 *
 * The classes are named with the centre's symbol (Na[Cl6] for a Na centre).
 */

export const NMR_CLASS_KEYS = ['Cl6', 'OnCl5-n', 'OmCl4-m', 'other'] as const;
export type NmrClassKey = (typeof NMR_CLASS_KEYS)[number];

/** 'Li[Cl6]', 'Li[OnCl5-n]', 'Li[OmCl4-m]' or 'other'. */
export const nmrClassName = (centre: string, key: NmrClassKey): string =>
  key === 'other' ? 'other' : `${centre}[${key}]`;

/**
 * The label of an environment from the count of each neighbour element, in the order given:
 * Li[O2Cl3], Li[OCl5] (a count of 1 is not written, as in a formula), Li[] for none.
 */
export const environmentLabel = (
  centre: string,
  elements: readonly string[],
  counts: ArrayLike<number>,
): string => {
  let s = '';
  for (let k = 0; k < elements.length; k++) {
    const c = counts[k];
    if (c > 0) s += c === 1 ? elements[k] : `${elements[k]}${c}`;
  }
  return `${centre}[${s}]`;
};

/** The NMR class of an environment (see the file header) from its element counts. */
export const nmrClassOf = (elements: readonly string[], counts: ArrayLike<number>): NmrClassKey => {
  let cn = 0;
  let oCl = 0;
  let cl = 0;
  for (let k = 0; k < elements.length; k++) {
    const c = counts[k];
    cn += c;
    if (elements[k] === 'O' || elements[k] === 'Cl') oCl += c;
    if (elements[k] === 'Cl') cl += c;
  }
  if (cn === 6 && cl === 6) return 'Cl6';
  if (cn === 5 && oCl === 5) return 'OnCl5-n';
  if (cn === 4 && oCl === 4) return 'OmCl4-m';
  return 'other';
};

/** The coordination-number class: 'CN 5'. */
export const coordinationClassName = (cn: number): string => `CN ${cn}`;
