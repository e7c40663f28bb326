import { isElement } from '../../core/elements.js';

/**
 * Ion and special names of the common force fields whose first letters do not give the element:
 * CHARMM (SOD, POT, CLA, CAL, CES, LIT), GROMOS/GROMACS ion names with charges (NA+, CL-, MG2+),
 * Martini-style Q beads, Amber special carbons (AC, BC) and the TIP4P virtual site MW (a massless
 * point: X). The names, and the guesses below, are the ones MDAnalysis 2.4 uses
 * (MDAnalysis.topology.guessers.guess_atom_element), so that both read the same elements.
 */
const SPECIAL_NAMES: Readonly<Record<string, string>> = {
  BR: 'Br',
  CAL: 'Ca',
  C0: 'Ca',
  'CA2+': 'Ca',
  CES: 'Cs',
  CS: 'Cs',
  'CS+': 'Cs',
  CLA: 'Cl',
  CLAL: 'Cl',
  CL: 'Cl',
  'CL-': 'Cl',
  IOD: 'I',
  FE: 'Fe',
  FE2: 'Fe',
  LIT: 'Li',
  LI: 'Li',
  'LI+': 'Li',
  QL: 'Li',
  MG: 'Mg',
  'MG2+': 'Mg',
  K: 'K',
  POT: 'K',
  'K+': 'K',
  QK: 'K',
  SOD: 'Na',
  NA: 'Na',
  'NA+': 'Na',
  QN: 'Na',
  ZN: 'Zn',
  CU: 'Cu',
  QC: 'Ce',
  RB: 'Rb',
  QR: 'Rb',
  BC: 'C',
  AC: 'C',
  MW: 'X',
};

/**
 * The elements an upper-case name may start or end with. Only these two-letter symbols are
 * recognised in upper case, because most upper-case atom names are element + position in a
 * residue: CA is the alpha carbon, HG a gamma hydrogen, NE an epsilon nitrogen.
 */
const NAME_ELEMENTS = new Set([
  'H',
  'LI',
  'BE',
  'B',
  'C',
  'N',
  'O',
  'F',
  'NA',
  'MG',
  'AL',
  'P',
  'SI',
  'S',
  'CL',
  'K',
]);

const capitalise = (s: string) => s[0] + s.slice(1).toLowerCase();

/**
 * The element an atom name stands for (PDB, GRO and mmCIF atom names when the file gives no
 * element), or undefined when it names none.
 *
 * As MDAnalysis guesses: a special name (above) is that element; otherwise digits and the signs
 * `+ - *` are dropped and the upper-cased letters are matched against NAME_ELEMENTS, whole, then
 * without their last or their first letter, shortening from the right (OW -> O, HW1 -> H,
 * CL1 -> Cl, LI -> Li, CA -> C, NC3 -> N, Ca113 -> C). Two additions, both where MDAnalysis gives
 * no element or where the name can only be a symbol: a name that is exactly a two-letter element
 * symbol in mixed case ("Ca", "Zn", as ASE and our writers spell them) is that element
 * (MDAnalysis: "Ca" is carbon); and one or two letters that MDAnalysis turns into a non-element
 * ("GE" -> "G") are read as the symbol they spell (Ge), else the name names no element.
 */
export const elementFromAtomName = (name: string): string | undefined => {
  const special = SPECIAL_NAMES[name.toUpperCase()];
  if (special) return special;
  if (/^[A-Z][a-z]?$/.test(name) && isElement(name)) return name;
  const letters = name.replace(/[0-9*+-]/g, '');
  if (letters === '') return undefined;
  let u = letters.toUpperCase();
  const again = SPECIAL_NAMES[u];
  if (again) return again;
  while (u.length > 0) {
    if (NAME_ELEMENTS.has(u)) return capitalise(u);
    if (NAME_ELEMENTS.has(u.slice(0, -1))) return capitalise(u.slice(0, -1));
    if (NAME_ELEMENTS.has(u.slice(1))) return capitalise(u.slice(1));
    if (u.length <= 2) {
      // MDAnalysis's last resort is the first letter; where that is no element, the letters themselves.
      if (isElement(u[0])) return u[0];
      const symbol = capitalise(letters.toUpperCase());
      return letters.length <= 2 && isElement(symbol) ? symbol : undefined;
    }
    u = u.slice(0, -1);
  }
  return undefined;
};
