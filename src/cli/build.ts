import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { mixFromComposition, parseMix } from '../builders/mix.js';
import { bondTypeOf, buildOligomer, closestNonBonded, type Molecule } from '../builders/oligomer.js';
import { MAX_PACK_ATOMS, PackTooLargeError, packGlass } from '../builders/pack-glass.js';
import { substitutedCrystal } from '../builders/substituted-crystal.js';
import { parseRepeats, supercell } from '../builders/supercell.js';
import { parseTarget } from '../chemistry/synthesis-planner.js';
import { OligolyteError, OptionError, UnknownFormatError } from '../core/errors.js';
import type { Structure } from '../core/frame.js';
import { Lattice } from '../core/lattice.js';
import { cellDensity, compositionOf } from '../core/structure-props.js';
import { Topology } from '../core/topology.js';
import { formatForOutput, readStructure, writeStructure } from '../io/registry.js';
import { isPositive, parseNumber } from './number-option.js';
import { packProgress } from './pack-progress.js';
import { addReadOptions, type RawReadOptions, toOpenOptions } from './read-options.js';

const positiveNumber = (value: string | undefined, flag: string): number | undefined =>
  parseNumber(value, flag, isPositive, 'a positive number');

const wholeNumber = (value: string | undefined, flag: string): number | undefined =>
  parseNumber(value, flag, Number.isInteger, 'a whole number');

/**
 * The output's format must follow from its name, checked before building: build has no --to, so
 * the library's "give `format`" (which the CLI reads as --to) would point at a flag it lacks.
 */
const checkOutputName = (path: string): void => {
  try {
    formatForOutput(path);
  } catch (e) {
    if (e instanceof UnknownFormatError)
      throw new OptionError(
        `-o ${path}: cannot tell the format from the name; name the file with an extension (.extxyz, .xyz, .data, .cif, .vasp) or POSCAR`,
      );
    throw e;
  }
};

/**
 * The commands that build a packing too large to do at once, as the study built its large cells:
 * a cell of 1/k^3 of the units, repeated k x k x k.
 */
const replicationAdvice = (e: PackTooLargeError, o: Record<string, string>, seed: number): string => {
  const k = e.factor;
  const parts = o.mix?.split(',').map((p) => p.split(':'));
  const base = !k
    ? undefined
    : o.composition
      ? `--composition ${o.composition} --trimers ${Number(o.trimers) / k ** 3}`
      : parts?.every((p) => p.length === 2 && Number.isInteger(Number(p[1]) / k ** 3))
        ? `--mix ${parts.map(([name, count]) => `${name.trim()}:${Number(count) / k ** 3}`).join(',')}`
        : undefined;
  const head = `${e.natoms} atoms are too many to pack at once (at most ${MAX_PACK_ATOMS}: the packer's cost grows as the square of the atoms, and at 1.9 g/cm3 it jams beyond a few hundred)`;
  if (!k || !base)
    return `${head}; pack a smaller cell and repeat it with "oligolyte build supercell", as the study built its large cells`;
  return `${head}; build 1/${k ** 3} of it and repeat that cell ${k}x${k}x${k}, as the study built its large cells:\n  oligolyte build glass ${base} --seed ${seed} -o base.extxyz\n  oligolyte build supercell base.extxyz ${k}x${k}x${k} -o ${o.output}`;
};

/** Composition, cell, density and the closest contact between atoms of different molecules. */
const summary = (s: Structure, out: string): string => {
  const L = s.frame.lattice;
  const lines = [`wrote ${out}`, `  ${s.topology.natoms} atoms, ${compositionOf(s.topology)}`];
  if (L) {
    const p = L.parameters;
    lines.push(
      `  cell a=${p.a.toFixed(4)} b=${p.b.toFixed(4)} c=${p.c.toFixed(4)} A, alpha=${p.alpha.toFixed(2)} beta=${p.beta.toFixed(2)} gamma=${p.gamma.toFixed(2)} deg; ${L.volume.toFixed(2)} A^3; ${cellDensity(s.topology, L).toFixed(6)} g/cm^3`,
    );
    const ids = s.topology.moleculeIds;
    let best = { r: Number.POSITIVE_INFINITY, i: 0, j: 0 };
    const n = s.topology.natoms;
    if (n <= 5000) {
      const d = new Float64Array(3);
      const p2 = s.frame.positions;
      for (let i = 0; i < n; i++)
        for (let j = i + 1; j < n; j++) {
          if (ids && ids[i] === ids[j]) continue;
          d[0] = p2[3 * i] - p2[3 * j];
          d[1] = p2[3 * i + 1] - p2[3 * j + 1];
          d[2] = p2[3 * i + 2] - p2[3 * j + 2];
          const r = Math.sqrt(L.minimumImage(d));
          if (r < best.r) best = { r, i, j };
        }
      const sym = (k: number) => `${s.topology.symbol(k)}${k + 1}`;
      lines.push(
        `  closest ${ids ? 'contact between units' : 'pair of atoms'}: ${sym(best.i)}...${sym(best.j)} ${best.r.toFixed(3)} A`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
};

export const registerBuild = (program: Command): void => {
  const build = program.command('build').description('build models: oligomers, glass packings, supercells');

  build
    .command('oligomer')
    .description('one LAOC oligomer anion [AlnO(n-1)Cl(2n+2-b)], with its bonds, as a molecule in a box')
    .option('--length <n>', 'number of Al (2 dimer, 3 trimer, 4 tetramer)', '3')
    .option('--bridges <b>', 'bridging Cl: 0, 1 or 2', '0')
    .option('--al-o <A>', 'Al-O bond', '1.72')
    .option('--al-cl <A>', 'terminal Al-Cl bond', '2.13')
    .option('--al-cl-bridging <A>', 'bridging Al-Cl bond', '2.25')
    .option('--al-o-al <deg>', 'Al-O-Al angle', '135')
    .option('--seed <n>', 'seed for the torsions', '1')
    .option('--box <A>', 'edge of the cubic box around the molecule', '20')
    .requiredOption('-o, --output <file>', 'output file (any writable format; .xyz, POSCAR, .data, ...)')
    .action(async (o: Record<string, string>) => {
      checkOutputName(o.output);
      const bridges = wholeNumber(o.bridges, '--bridges');
      if (bridges !== 0 && bridges !== 1 && bridges !== 2)
        throw new OptionError('--bridges must be 0, 1 or 2');
      const m = buildOligomer({
        length: wholeNumber(o.length, '--length'),
        bridges,
        alO: positiveNumber(o.alO, '--al-o'),
        alClTerminal: positiveNumber(o.alCl, '--al-cl'),
        alClBridging: positiveNumber(o.alClBridging, '--al-cl-bridging'),
        alOAl: positiveNumber(o.alOAl, '--al-o-al'),
        seed: wholeNumber(o.seed, '--seed'),
      });
      const box = positiveNumber(o.box, '--box')!;
      const positions = Float64Array.from(m.positions, (v) => v + box / 2);
      const s: Structure = {
        topology: new Topology({
          symbols: m.symbols,
          roles: m.roles,
          moleculeIds: m.symbols.map(() => 1),
          bonds: Uint32Array.from(m.bonds.flat()),
          bondTypes: Int32Array.from(m.bonds, ([a, b]) => bondTypeOf(m.roles[a], m.roles[b])),
        }),
        frame: { positions, lattice: Lattice.cubic(box) },
      };
      await writeStructure(o.output, s, { comment: `LAOC oligomer, charge ${m.charge}` });
      process.stdout.write(
        `wrote ${o.output}\n  ${m.symbols.length} atoms, ${compositionOf(s.topology)} (charge ${m.charge}); closest non-bonded pair ${closestNonBonded(m).toFixed(3)} A\n`,
      );
    });

  build
    .command('glass')
    .description(
      'pack oligomers (and AlCl4-, Cl-) with counter-cations into a periodic cell at a target density',
    )
    .option('--mix <units>', 'units and counts: "0b:8", "1b:4,2b:4", "0b:6,AlCl4:2"')
    .option('--composition <name>', 'or a named mixture: "LAOC^1.5b", "PLAOC^0.3b", "(Na0.75K0.25)AOC^0b"')
    .option('--trimers <n>', 'with --composition: number of oligomers', '8')
    .option('--density <g/cm3>', 'target density', '1.9')
    .option(
      '--shape <a:b:c[,alpha,beta,gamma]>',
      'cell edge ratios and angles (deg), e.g. "1:1:2" or "1:1:1,90,90,120" (default cubic)',
    )
    .option('--cation <element>', 'counter-cation (Li, Na, K)', 'Li')
    .option('--seed <n>', 'seed (the same seed gives the same file)', '1')
    .option('--min-distance <pairs>', 'minimum distances between units, A: "*=2.0,Cl-Cl=2.6"')
    .option('--cation-distance <A>', 'minimum distance from a cation to any atom', '1.9')
    .requiredOption('-o, --output <file>', 'output file (POSCAR, .xyz, .data with bonds, ...)')
    .action(async (o: Record<string, string>) => {
      checkOutputName(o.output);
      const seed = wholeNumber(o.seed, '--seed')!;
      if (!o.mix === !o.composition) throw new OptionError('give either --mix or --composition');
      const cation = o.cation;
      if (!['Li', 'Na', 'K'].includes(cation))
        throw new OptionError(`--cation: "${cation}" is not Li, Na or K`);
      let units: { molecule: Molecule; count: number }[];
      let cations: { element: string; count: number }[];
      if (o.composition) {
        const m = mixFromComposition(o.composition, wholeNumber(o.trimers, '--trimers')!, { seed });
        units = m.units;
        cations = m.cations;
      } else {
        units = parseMix(o.mix, { seed });
        const charge = units.reduce((s, u) => s + u.molecule.charge * u.count, 0);
        cations = charge < 0 ? [{ element: cation, count: -charge }] : [];
      }
      let minDistance: Record<string, number> | undefined;
      if (o.minDistance) {
        minDistance = {};
        for (const part of o.minDistance.split(',')) {
          const [k, v] = part.split('=');
          const r = Number(v);
          if (!k?.trim() || !(r > 0)) throw new OptionError(`--min-distance: "${part}" is not PAIR=A`);
          minDistance[k.trim()] = r;
        }
      }
      let shape: { ratios: [number, number, number]; angles: [number, number, number] } | undefined;
      if (o.shape) {
        const [r, ...angles] = o.shape.split(',');
        const ratios = r.split(':').map(Number);
        const ang = angles.length ? angles.map(Number) : [90, 90, 90];
        if (
          ratios.length !== 3 ||
          !ratios.every((x) => x > 0) ||
          ang.length !== 3 ||
          !ang.every((x) => x > 0 && x < 180)
        )
          throw new OptionError(`--shape: "${o.shape}" is not a:b:c or a:b:c,alpha,beta,gamma`);
        shape = { ratios: ratios as [number, number, number], angles: ang as [number, number, number] };
      }
      const progress = packProgress();
      let s: Structure;
      try {
        s = packGlass({
          units: units.map((u) => ({ molecule: u.molecule, count: u.count })),
          shape,
          cations,
          density: positiveNumber(o.density, '--density'),
          minDistance,
          cationDistance: positiveNumber(o.cationDistance, '--cation-distance'),
          seed,
          onProgress: progress.onProgress,
        });
      } catch (e) {
        // Too large to pack at once: say which commands build it by repetition.
        if (e instanceof PackTooLargeError) throw new OligolyteError(replicationAdvice(e, o, seed));
        throw e;
      } finally {
        progress.stop();
      }
      const what = o.composition ?? o.mix;
      const counter = cations.map((c) => `${c.count} ${c.element}`).join(' + ');
      await writeStructure(o.output, s, { comment: `glass ${what} + ${counter}, seed ${seed}` });
      process.stdout.write(summary(s, o.output));
    });

  build
    .command('amorphous')
    .description(
      'the "conventional amorphous" start: a LiAlCl4 supercell with Cl turned into O and surplus atoms removed to reach a LAOC composition, scaled to a density',
    )
    .option('--composition <name>', 'target: a LAOC name or a formula', 'LAOC^0b')
    .option('--crystal <cif>', 'the crystal (default: the shipped LiAlCl4, COD 1004036)')
    .option('--repeats <axbxc>', 'supercell of the crystal', '2x2x1')
    .option('--density <g/cm3>', 'target density', '1.9')
    .option('--seed <n>', 'which Cl become O and which atoms go', '1')
    .requiredOption('-o, --output <file>', 'output file')
    .action(async (o: Record<string, string>) => {
      checkOutputName(o.output);
      const crystalPath =
        o.crystal ?? fileURLToPath(new URL('../../examples/LiAlCl4_COD1004036.cif', import.meta.url));
      const crystal = await readStructure(crystalPath);
      const target = parseTarget(o.composition);
      const r = substitutedCrystal(crystal, {
        target: target.formula,
        repeats: o.repeats,
        density: positiveNumber(o.density, '--density'),
        seed: wholeNumber(o.seed, '--seed'),
      });
      await writeStructure(o.output, r.structure, {
        comment: `${o.composition} from ${o.repeats} LiAlCl4, seed ${o.seed}`,
      });
      const removed = [...r.removed].map(([e, k]) => `${k} ${e}`).join(', ');
      process.stdout.write(
        `${summary(r.structure, o.output)}  ${r.units} x ${target.formula}: ${r.substituted} Cl -> O, removed ${removed || 'nothing'}\n`,
      );
    });

  addReadOptions(
    build
      .command('supercell')
      .description('repeat a cell: 2x2x2 (bonds and molecule ids are repeated too)')
      .argument('<in>', 'input structure')
      .argument('<repeats>', 'repeats along a, b, c: 2x2x1')
      .requiredOption('-o, --output <file>', 'output file'),
  ).action(async (input: string, repeats: string, o: RawReadOptions & { output: string }) => {
    checkOutputName(o.output);
    const s = await readStructure(input, await toOpenOptions(o));
    const big = supercell(s, parseRepeats(repeats));
    await writeStructure(o.output, big, {});
    process.stdout.write(summary(big, o.output));
  });
};
