import { Lattice } from '../../core/lattice.js';
import type { ViewerInput } from '../input.js';
import type { SectionBuilder, ViewerBlock } from '../section.js';

/**
 * The level SCIENCE.md's study shows the Li probability density at (1/A^3, in pymatgen's
 * ProbabilityDensityAnalysis normalisation, as the density files here: per ion, integrating to 1
 * over the cell, so its mean is 1/V: 3.4e-4 for the 128-atom cell). A level below the mean marks
 * where the Li went at all, which in a long hot run is most of the cell; the page shows the mean
 * and the level is adjustable.
 */
export const DEFAULT_DENSITY_LEVEL_PER_A3 = 2.0e-4;

/**
 * Bonds and whole molecules for drawing: within each oligomer unit, atoms whose pair has a bond
 * rule and whose minimum-image distance is within its longest bond are bonded, and each unit is
 * walked from its first atom so that every bonded atom sits at the image next to its partner (a
 * unit cut by the cell boundary is drawn whole, not as long bonds across the cell); other atoms
 * are wrapped into the cell.
 */
export const drawableStructure = (
  v: ViewerInput,
): { positions: number[]; bonds: [number, number][]; unit: number[] } => {
  const lattice = new Lattice(Float64Array.from(v.cell));
  // Every atom into the cell first (a final frame may hold unwrapped positions).
  const frac = lattice.toFractional(v.positions);
  for (let k = 0; k < frac.length; k++) frac[k] -= Math.floor(frac[k]);
  const pos = Array.from(lattice.toCartesian(frac));
  const unit = new Array<number>(v.symbols.length).fill(-1);
  const bonds: [number, number][] = [];
  const rule = new Map<string, number>();
  for (const r of v.bondRules) {
    const [a, b] = r.pair.split('-');
    rule.set(`${a}-${b}`, r.breakA);
    rule.set(`${b}-${a}`, r.breakA);
  }
  const d = new Float64Array(3);
  v.units.forEach((atoms, u) => {
    for (const i of atoms) unit[i] = u;
    const placed = new Set<number>([atoms[0]]);
    const queue = [atoms[0]];
    while (queue.length) {
      const i = queue.shift()!;
      for (const j of atoms) {
        if (j === i) continue;
        const cut = rule.get(`${v.symbols[i]}-${v.symbols[j]}`);
        if (cut === undefined) continue;
        for (let k = 0; k < 3; k++) d[k] = pos[3 * j + k] - pos[3 * i + k];
        if (lattice.minimumImage(d) > cut * cut) continue;
        // Each atom of a connected unit is dequeued once, so each pair is seen from both ends.
        if (i < j) bonds.push([i, j]);
        if (!placed.has(j)) {
          for (let k = 0; k < 3; k++) pos[3 * j + k] = pos[3 * i + k] + d[k];
          placed.add(j);
          queue.push(j);
        }
      }
    }
    // The whole unit shifted by a lattice vector so that its first atom is in the cell.
    const f = lattice.toFractional(pos.slice(3 * atoms[0], 3 * atoms[0] + 3));
    const shift = lattice.toCartesian(Float64Array.from(f, (x) => -Math.floor(x)));
    for (const i of atoms) for (let k = 0; k < 3; k++) pos[3 * i + k] += shift[k];
  });
  return { positions: pos, bonds, unit };
};

/**
 * A cube file with its grid values at 3 significant digits (plenty for an isosurface; the page
 * carries every temperature's grid): header and atom lines kept as written.
 */
export const compactCube = (cube: string): string => {
  const lines = cube.split('\n');
  const natoms = Math.abs(Number.parseInt(lines[2], 10));
  const head = 6 + natoms;
  const values = lines
    .slice(head)
    .map((l) =>
      l
        .trim()
        .split(/\s+/)
        .filter((x) => x !== '')
        .map((x) => {
          const v = Number(x);
          return v === 0 ? '0' : v.toPrecision(3);
        })
        .join(' '),
    )
    .filter((l) => l !== '');
  return [...lines.slice(0, head), ...values].join('\n');
};

/** The 3-D view: the final structure, oligomers coloured by unit, the cell, the density isosurface. */
export const viewerSection: SectionBuilder = (input) => {
  const v = input.viewer;
  if (!v) return undefined;
  const { positions, bonds, unit } = drawableStructure(v);
  const species = input.transport?.runs[0]?.result.species ?? 'Li';
  const block: ViewerBlock = {
    kind: 'viewer',
    id: 'structure-3d',
    title: `Final structure at ${v.temperatureK} K and the ${species} probability density`,
    caption: `The last frame of the ${v.temperatureK} K production run; each oligomer in its own colour (sticks), ${species} as small spheres, other atoms grey, the cell in black. The surface encloses where the ${species} density over the production frames exceeds the level (1/Å³, per ion: the density integrates to 1 over the cell, as pymatgen's ProbabilityDensityAnalysis, so its mean is 1/V). The page opens at 2.0e-4, the study's level in SCIENCE.md; a level below the mean marks where the ions went at all (in a long hot run, most of the cell): raise it to a few times the mean to see the preferred paths. Drag to rotate, scroll to zoom.`,
    symbols: v.symbols,
    positions,
    bonds,
    unit,
    cell: v.cell,
    densities: v.densities.map((d) => ({ temperatureK: d.temperatureK, cube: compactCube(d.cube) })),
    defaultTemperatureK: v.temperatureK,
    defaultLevelPerA3: DEFAULT_DENSITY_LEVEL_PER_A3,
    meanPerA3: 1 / new Lattice(Float64Array.from(v.cell)).volume,
    species,
  };
  return { id: 'structure-3d', title: '3-D structure and ion density', blocks: [block] };
};
