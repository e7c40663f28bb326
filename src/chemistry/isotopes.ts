import { IsotopicDistribution } from 'isotopic-distribution';
import { Composition } from '../core/composition.js';
import { OptionError } from '../core/errors.js';

/**
 * Isotope pattern of an ion (e.g. the ESI-MS anion Al3O2Cl6-, whose Cl-35/Cl-37 envelope sits at
 * m/z 322.7, 324.7, 326.7, 328.7), computed by cheminfo's isotopic-distribution (natural
 * abundances, electron mass for the charge, m/z = mass / |z|), and matched against observed peaks.
 */
export interface IsotopePeak {
  mz: number;
  /** Intensity relative to the strongest peak (100). */
  relative: number;
}

export interface IsotopeOptions {
  /** Peaks closer than this (m/z) are merged, as a low-resolution instrument sees them (default 0.5). */
  resolution?: number;
  /** Peaks weaker than this (% of the strongest) are dropped (default 0.5). */
  threshold?: number;
}

/** The isotope pattern of a formula with an optional charge: 'Al3O2Cl6-', 'Li3Al3O2Cl8', 'AlCl4-'. */
export const isotopePattern = (formula: string, options: IsotopeOptions = {}): IsotopePeak[] => {
  const c = Composition.parse(formula);
  if (c.atomCount === 0) throw new OptionError(`"${formula}" has no atoms`);
  for (const n of c.amounts.values())
    if (!Number.isInteger(n)) throw new OptionError(`"${formula}": an ion needs whole numbers of atoms`);
  const mf =
    [...c.amounts].map(([e, n]) => `${e}${n}`).join('') +
    (c.charge === 0 ? '' : `(${c.charge > 0 ? '+' : '-'}${Math.abs(c.charge)})`);
  const d = new IsotopicDistribution(mf, { fwhm: options.resolution ?? 0.5 });
  const table = d.getTable({ maxValue: 100 }) as { x: number; y: number }[];
  const threshold = options.threshold ?? 0.5;
  return table
    .filter((p) => p.y >= threshold)
    .map((p) => ({ mz: p.x, relative: p.y }))
    .sort((a, b) => a.mz - b.mz);
};

export interface PeakMatch {
  computed: IsotopePeak;
  /** The nearest observed m/z within the tolerance, if any. */
  observed?: number;
  difference?: number;
}

export interface MatchResult {
  matches: PeakMatch[];
  /** Observed peaks that no computed peak (above `minRelative`) explains. */
  unexplained: number[];
  /** Every computed peak of at least `minRelative` % has an observed partner. */
  allMatched: boolean;
}

/**
 * Match a computed pattern to observed m/z values: each computed peak of at least `minRelative` %
 * (default 10) takes the nearest observed peak within `tolerance` (default 0.2 m/z).
 */
export const matchPeaks = (
  pattern: IsotopePeak[],
  observed: readonly number[],
  tolerance = 0.2,
  minRelative = 10,
): MatchResult => {
  if (observed.some((x) => !Number.isFinite(x)))
    throw new OptionError('observed peaks must be numbers (m/z)');
  const used = new Set<number>();
  const matches = pattern
    .filter((p) => p.relative >= minRelative)
    .map((p): PeakMatch => {
      let best = -1;
      for (let i = 0; i < observed.length; i++)
        if (
          Math.abs(observed[i] - p.mz) <= tolerance &&
          (best < 0 || Math.abs(observed[i] - p.mz) < Math.abs(observed[best] - p.mz))
        )
          best = i;
      if (best < 0) return { computed: p };
      used.add(best);
      return { computed: p, observed: observed[best], difference: observed[best] - p.mz };
    });
  return {
    matches,
    unexplained: observed.filter((_, i) => !used.has(i)),
    allMatched: matches.every((m) => m.observed !== undefined),
  };
};
