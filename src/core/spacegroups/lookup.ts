import { OligolyteError } from '../errors.js';
import type { CellParameters } from '../lattice.js';
import { hallOperations, type SymOp } from './hall-symbol.js';
import { SETTINGS } from './settings-table.js';

/** One of the 530 settings of the 230 space groups (International Tables A). */
export interface SpaceGroupSetting {
  /** 1..530, as spglib and International Tables B number the Hall symbols. */
  hallNumber: number;
  /** International Tables number, 1..230. */
  number: number;
  hall: string;
  /** Hermann-Mauguin symbol, short ("Fm-3m") and full ("F 4/m -3 2/m"). */
  hmShort: string;
  hmFull: string;
  /** Setting: cell choice / unique axis ("b", "c1", "-cba"), origin choice ("1", "2") or "H" / "R". */
  setting: string;
}

const settings: SpaceGroupSetting[] = SETTINGS.map(
  ([hallNumber, number, hall, hmShort, hmFull, , setting]) => ({
    hallNumber,
    number,
    hall,
    hmShort,
    hmFull,
    setting,
  }),
);

/**
 * Normal form of a Hermann-Mauguin symbol for comparison: no spaces or underscores, lower case
 * ("P 21/c" = "P2_1/c" = "p21/c").
 */
const normaliseHm = (s: string): string => s.replace(/[\s_]/g, '').toLowerCase();

/** Hermann-Mauguin names of each setting, normalised -> settings. */
const byHm = new Map<string, SpaceGroupSetting[]>();
const add = (key: string, s: SpaceGroupSetting) => {
  const list = byHm.get(key) ?? [];
  if (!list.includes(s)) list.push(s);
  byHm.set(key, list);
};
for (const s of settings) {
  for (const name of [s.hmShort, s.hmFull]) {
    add(normaliseHm(name), s);
    // CIFs and older tables write cubic -3 as 3 ("Fm3m", "Ia3d"), and P-43m as P43m.
    if (s.number >= 195) add(normaliseHm(name).replace(/-/g, ''), s);
  }
}

const normaliseHall = (s: string): string => s.trim().replace(/\s+/g, ' ').replace(/_/g, '');

export class SpaceGroupLookupError extends OligolyteError {
  override name = 'SpaceGroupLookupError';
}

/** What a file says about its space group; any subset. */
export interface SpaceGroupHint {
  hall?: string;
  /** Hermann-Mauguin symbol, optionally with a setting suffix (":2", ":H", ":R"). */
  hm?: string;
  number?: number;
  /** The cell, to tell rhombohedral from hexagonal axes when only the symbol is given. */
  cell?: CellParameters;
}

const isRhombohedralCell = (c: CellParameters): boolean =>
  Math.abs(c.a - c.b) < 1e-3 * c.a &&
  Math.abs(c.a - c.c) < 1e-3 * c.a &&
  Math.abs(c.alpha - c.beta) < 1e-2 &&
  Math.abs(c.alpha - c.gamma) < 1e-2 &&
  Math.abs(c.alpha - 90) > 1e-2;

/**
 * The setting a file means. A Hall symbol is exact. A Hermann-Mauguin symbol picks its settings;
 * when several remain (origin choice 1 or 2, hexagonal or rhombohedral axes), a ":suffix" decides,
 * else rhombohedral axes for a rhombohedral cell, else the first setting listed in International
 * Tables (origin choice 1, hexagonal axes), which is also what pymatgen and ASE take.
 * A number alone gives that group's first setting. Hint fields that disagree are an error.
 */
export const findSpaceGroup = (hint: SpaceGroupHint): SpaceGroupSetting => {
  if (hint.hall) {
    const want = normaliseHall(hint.hall);
    const s = settings.find((x) => normaliseHall(x.hall).toLowerCase() === want.toLowerCase());
    if (s) return s;
    // A Hall symbol outside the table still defines a group; describe it as such.
    hallOperations(hint.hall);
    return { hallNumber: 0, number: 0, hall: hint.hall, hmShort: '', hmFull: '', setting: '' };
  }
  let candidates: SpaceGroupSetting[];
  if (hint.hm) {
    const [name, suffix] = hint.hm.split(':').map((x) => x.trim());
    candidates = byHm.get(normaliseHm(name)) ?? [];
    if (candidates.length === 0)
      throw new SpaceGroupLookupError(`unknown Hermann-Mauguin symbol "${hint.hm}"`);
    if (hint.number !== undefined) {
      const same = candidates.filter((c) => c.number === hint.number);
      if (same.length === 0)
        throw new SpaceGroupLookupError(
          `the symbol "${hint.hm}" is space group ${candidates[0].number}, not ${hint.number} as the file also says`,
        );
      candidates = same;
    }
    if (suffix) {
      const chosen = candidates.filter((c) => c.setting.toLowerCase() === suffix.toLowerCase());
      if (chosen.length === 0)
        throw new SpaceGroupLookupError(
          `"${hint.hm}": no setting "${suffix}" (known: ${candidates.map((c) => c.setting).join(', ')})`,
        );
      candidates = chosen;
    }
  } else if (hint.number !== undefined) {
    if (!Number.isInteger(hint.number) || hint.number < 1 || hint.number > 230)
      throw new SpaceGroupLookupError(`space group number ${hint.number} is not in 1..230`);
    candidates = settings.filter((c) => c.number === hint.number).slice(0, 1);
    // A number alone means the standard setting, except R groups given with rhombohedral axes.
    const r = settings.find((c) => c.number === hint.number && c.setting === 'R');
    if (r && hint.cell && isRhombohedralCell(hint.cell)) candidates = [r];
  } else {
    throw new SpaceGroupLookupError('no space group given');
  }
  const numbers = new Set(candidates.map((c) => c.number));
  if (numbers.size > 1)
    throw new SpaceGroupLookupError(
      `"${hint.hm}" is ambiguous (space groups ${[...numbers].join(', ')}); give the number or the operations`,
    );
  if (candidates.length > 1 && hint.cell) {
    const rh = candidates.find((c) => c.setting === 'R');
    const hex = candidates.find((c) => c.setting === 'H');
    if (rh && hex) return isRhombohedralCell(hint.cell) ? rh : hex;
  }
  return candidates[0];
};

/** The operations of a setting (all of them, centring included). */
export const spaceGroupOperations = (s: SpaceGroupSetting): SymOp[] => hallOperations(s.hall);
