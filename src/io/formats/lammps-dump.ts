import { normaliseElementLabel } from '../../core/elements.js';
import { OligolyteError, OptionError, ParseError } from '../../core/errors.js';
import type { Frame, Structure } from '../../core/frame.js';
import type { Lattice } from '../../core/lattice.js';
import { Topology } from '../../core/topology.js';
import { openByteStream } from '../byte-source.js';
import type { Format } from '../format.js';
import { LineReader } from '../text/line-reader.js';
import { parseUnlessTorn } from '../torn-frame.js';
import {
  boxFromDumpBounds,
  elementFromLammpsMass,
  elementFromTypeMap,
  formatDumpBox,
  idOrder,
  LammpsBoxError,
  lammpsTypes,
  lammpsUnitFactors,
  permuteRows,
  toLammpsOrientation,
} from './lammps-common.js';

type PositionKind = 'x' | 'xs' | 'xu' | 'xsu';

/** Column indices of the ATOMS line that the reader uses (-1 when absent). */
interface Columns {
  n: number;
  id: number;
  type: number;
  element: number;
  mass: number;
  q: number;
  mol: number;
  pos: [number, number, number];
  kind: PositionKind;
  image: [number, number, number];
  vel: [number, number, number];
  force: [number, number, number];
}

const planColumns = (names: string[]): Columns | string => {
  const at = (n: string) => names.indexOf(n);
  const triple = (a: string, b: string, c: string): [number, number, number] => [at(a), at(b), at(c)];
  let kind: PositionKind | undefined;
  let pos: [number, number, number] = [-1, -1, -1];
  for (const k of ['xu', 'x', 'xsu', 'xs'] as PositionKind[]) {
    const y = k.replace('x', 'y');
    const z = k.replace('x', 'z');
    const p = triple(k, y, z);
    if (p.every((i) => i >= 0)) {
      kind = k;
      pos = p;
      break;
    }
  }
  if (!kind) return 'position columns x y z, xs ys zs, xu yu zu or xsu ysu zsu';
  return {
    n: names.length,
    id: at('id'),
    type: at('type'),
    element: at('element'),
    mass: at('mass'),
    q: at('q'),
    mol: at('mol'),
    pos,
    kind,
    image: triple('ix', 'iy', 'iz'),
    vel: triple('vx', 'vy', 'vz'),
    force: triple('fx', 'fy', 'fz'),
  };
};

/** LAMMPS text dump (dump atom/custom): any column order, wrapped/scaled/unwrapped, triclinic boxes. */
/**
 * Image flags beyond this cannot be read back by LAMMPS: it packs the three flags of an atom into
 * one integer, 10 bits each (+-512) in the default build and 21 bits (+-2^20) with
 * -DLAMMPS_BIGBIG (lmptype.h, IMGBITS). An atom a million cells from the box is a blown-up run.
 */
const MAX_IMAGE_FLAG = 2 ** 20;

export const lammpsDump: Format = {
  name: 'lammps-dump',
  description: 'LAMMPS text dump, any columns, orthogonal or triclinic (read, write)',
  multiFrame: true,
  matchesName: (b) => /\.(lammpstrj|dump|lammpsdump)$/.test(b) || b.startsWith('dump.'),
  sniff: (_h, text) => /^ITEM: TIMESTEP/m.test(text),
  async *read(input, options) {
    const r = new LineReader(openByteStream(input), input.path);
    const units = lammpsUnitFactors(options.lammpsUnits);
    let topology: Topology | undefined;
    // The previous frame's atom ids and element labels, in id order: a trajectory's atoms keep
    // their ids and elements (issue 25 item 5); only the atom count may change (atoms lost or added).
    let previousIds: Int32Array | undefined;
    let previousLabels: string[] | undefined;
    let frameNo = 0;
    try {
      let more = await r.next();
      while (more) {
        if (r.isBlank()) {
          more = await r.next();
          continue;
        }
        frameNo++;
        const frameLine = r.lineNo;
        const parseFrame = async (): Promise<Structure> => {
          // dump_modify units/time yes put "ITEM: UNITS" and "ITEM: TIME" blocks before the timestep.
          let timeFs: number | undefined;
          for (;;) {
            const item = r.text().trim();
            if (item !== 'ITEM: TIME' && item !== 'ITEM: UNITS') break;
            await r.need(item === 'ITEM: TIME' ? 'the simulation time' : 'the units style');
            if (item === 'ITEM: TIME') {
              r.split();
              timeFs = r.float(0, 'the simulation time') * units.time;
            }
            await r.need('"ITEM: TIMESTEP"');
          }
          if (!r.startsWith('ITEM: TIMESTEP')) throw r.error('"ITEM: TIMESTEP"', 0);
          await r.need('the timestep');
          r.split();
          const step = r.int(0, 'the timestep (a whole number)');
          await r.need('"ITEM: NUMBER OF ATOMS"');
          if (!r.startsWith('ITEM: NUMBER OF ATOMS')) throw r.error('"ITEM: NUMBER OF ATOMS"', 0);
          await r.need('the number of atoms');
          r.split();
          const n = r.int(0, 'the number of atoms (a whole number)');
          if (n < 1) throw r.error('a positive number of atoms', 0);
          await r.need('"ITEM: BOX BOUNDS"');
          if (!r.startsWith('ITEM: BOX BOUNDS')) throw r.error('"ITEM: BOX BOUNDS"', 0);
          const triclinic = /\bxy\s+xz\s+yz\b/.test(r.text());
          const bounds: number[] = [];
          const boundLines: number[] = [];
          const tilt: [number, number, number] = [0, 0, 0];
          for (let d = 0; d < 3; d++) {
            await r.need(`box bounds line ${d + 1} of 3`);
            boundLines.push(r.lineNo);
            r.requireFields(triclinic ? 3 : 2, triclinic ? 'lo hi tilt' : 'lo hi');
            bounds.push(r.coordinate(0, 'a box bound'), r.coordinate(1, 'a box bound'));
            if (triclinic) tilt[d] = r.coordinate(2, 'a tilt factor');
          }
          let box: ReturnType<typeof boxFromDumpBounds>;
          try {
            box = boxFromDumpBounds(bounds, triclinic ? tilt : undefined);
          } catch (e) {
            if (e instanceof LammpsBoxError)
              throw new ParseError({
                file: input.path,
                line: boundLines[e.axis],
                expected: `a valid box in frame ${frameNo} (step ${step})`,
                found: e.message,
              });
            throw r.error(`a valid box (${(e as Error).message})`);
          }
          await r.need('"ITEM: ATOMS ..."');
          if (!r.startsWith('ITEM: ATOMS')) throw r.error('"ITEM: ATOMS id type x y z ..."', 0);
          const names = r.text().trim().split(/\s+/).slice(2);
          const atomsLine = r.lineNo;
          const cols = planColumns(names);
          if (typeof cols === 'string') throw r.error(cols);
          if (cols.type < 0 && cols.element < 0) throw r.error('a type or element column');
          const raw = new Float64Array(3 * n);
          const ids = new Int32Array(n);
          const types = new Int32Array(n);
          const img = cols.image[0] >= 0 && cols.kind === 'x' ? new Float64Array(3 * n) : undefined;
          const vel = cols.vel[0] >= 0 ? new Float64Array(3 * n) : undefined;
          const frc = cols.force[0] >= 0 ? new Float64Array(3 * n) : undefined;
          const q = cols.q >= 0 ? new Float64Array(n) : undefined;
          const mol = cols.mol >= 0 ? new Int32Array(n) : undefined;
          const mass = cols.mass >= 0 ? new Float64Array(n) : undefined;
          const elementLabels = cols.element >= 0 ? new Array<string>(n) : undefined;
          const [px, py, pz] = cols.pos;
          for (let i = 0; i < n; i++) {
            if (!r.tryNext() && !(await r.refill()))
              throw new ParseError({
                file: input.path,
                line: r.lineNo + 1,
                expected: `${n - i} more atom lines (step ${step}, ${n} atoms)`,
                found: 'end of file',
              });
            const nf = r.split();
            if (nf !== cols.n) throw r.error(`${cols.n} columns (${names.join(' ')})`, Math.min(nf, cols.n));
            ids[i] = cols.id >= 0 ? r.int(cols.id, 'an atom id') : i + 1;
            if (cols.type >= 0) types[i] = r.int(cols.type, 'an atom type');
            const o = 3 * i;
            raw[o] = r.coordinate(px, 'a coordinate');
            raw[o + 1] = r.coordinate(py, 'a coordinate');
            raw[o + 2] = r.coordinate(pz, 'a coordinate');
            if (img) for (let d = 0; d < 3; d++) img[o + d] = r.int(cols.image[d], 'an image flag');
            if (vel)
              for (let d = 0; d < 3; d++) vel[o + d] = r.float(cols.vel[d], 'a velocity') * units.velocity;
            if (frc) for (let d = 0; d < 3; d++) frc[o + d] = r.float(cols.force[d], 'a force') * units.force;
            if (q) q[i] = r.float(cols.q, 'a charge');
            if (mol) mol[i] = r.int(cols.mol, 'a molecule id');
            if (mass) {
              mass[i] = r.float(cols.mass, 'a mass');
              if (!(mass[i] > 0)) throw r.error('a positive mass', cols.mass);
            }
            if (elementLabels) elementLabels[i] = r.field(cols.element);
          }
          // Atoms in id order (dumps are in arbitrary order, and may differ frame to frame).
          const order = idOrder(ids, input.path, r.lineNo);
          const sortedIds = Int32Array.from(order, (i) => ids[i]);
          if (previousIds?.length === n)
            for (let j = 0; j < n; j++)
              if (sortedIds[j] !== previousIds[j]) {
                // The row of an id the previous frame did not have (one exists: same count, sets differ).
                let row = 0;
                while (binarySearch(previousIds, ids[row])) row++;
                throw new ParseError({
                  file: input.path,
                  line: atomsLine + 1 + row,
                  expected: `the atom ids of the previous frame in frame ${frameNo} (step ${step}): an atom keeps its id through a trajectory`,
                  found: `id ${ids[row]}`,
                });
              }
          previousIds = sortedIds;
          const lattice: Lattice = box.lattice;
          const positions = new Float64Array(3 * n);
          const scaled = cols.kind === 'xs' || cols.kind === 'xsu';
          for (let j = 0; j < n; j++) {
            const i = order[j];
            for (let d = 0; d < 3; d++) positions[3 * j + d] = raw[3 * i + d] - (scaled ? 0 : box.origin[d]);
          }
          if (scaled) lattice.toCartesian(positions, positions);
          if (img) {
            // x + ix a + iy b + iz c: unwrapped positions from wrapped ones and image flags.
            const m = lattice.matrix;
            for (let j = 0; j < n; j++) {
              const i = order[j];
              for (let d = 0; d < 3; d++)
                positions[3 * j + d] +=
                  img[3 * i] * m[d] + img[3 * i + 1] * m[3 + d] + img[3 * i + 2] * m[6 + d];
            }
          }
          const frame: Frame = {
            positions,
            lattice,
            step,
            unwrapped: cols.kind === 'xu' || cols.kind === 'xsu' || !!img,
          };
          if (timeFs !== undefined) frame.timeFs = timeFs;
          const v = vel && permuteRows(vel, order, 3);
          if (v) frame.velocities = v;
          const f = frc && permuteRows(frc, order, 3);
          if (f) frame.forces = f;
          const sortedTypes = Int32Array.from(order, (i) => types[i]);
          const sortedLabels = elementLabels && Array.from(order, (i) => elementLabels[i]);
          const same = topology && sameTypes(topology, sortedTypes, sortedLabels, previousLabels);
          previousLabels = sortedLabels;
          if (!topology || !same || q || mol) {
            const symbols = new Array<string>(n);
            for (let j = 0; j < n; j++) {
              const i = order[j];
              let el = cols.type >= 0 ? elementFromTypeMap(options.typeMap, types[i]) : undefined;
              if (!el && elementLabels) el = normaliseElementLabel(elementLabels[i]);
              if (!el && mass) el = elementFromLammpsMass(mass[i]);
              if (!el)
                throw new OptionError(
                  `${input.path}: atom type ${types[i]} has no element: give a type map (\`typeMap\`, e.g. 1=Li,2=Al or Li,Al), or dump an element or mass column`,
                  { option: 'typeMap' },
                );
              symbols[j] = el;
              // Same ids as the previous frame (checked above): an element that changes is a
              // contradiction (a type or element column rewritten), not a new atom.
              if (topology?.natoms === n && topology.symbol(j) !== el)
                throw new ParseError({
                  file: input.path,
                  line: atomsLine + 1 + i,
                  expected: `atom id ${ids[i]} to be ${topology.symbol(j)} in frame ${frameNo} (step ${step}) as in the previous frame: an atom keeps its element through a trajectory`,
                  found: `${el} (type ${types[i]})`,
                });
            }
            topology = new Topology({
              symbols,
              typeIds: cols.type >= 0 ? sortedTypes : undefined,
              charges: q ? Float64Array.from(order, (i) => q[i]) : undefined,
              moleculeIds: mol ? Int32Array.from(order, (i) => mol[i]) : undefined,
              masses: mass ? Float64Array.from(order, (i) => mass[i]) : undefined,
            });
          }
          return { topology, frame, source: { file: input.path, line: frameLine } };
        };
        const parsed = await parseUnlessTorn(r, options, input.path, frameLine, frameNo, parseFrame);
        if (!parsed) return;
        yield parsed;
        more = await r.next();
      }
    } finally {
      await r.close();
    }
  },
  async write(sink, frames, options) {
    let count = 0;
    const units = lammpsUnitFactors(options.lammpsUnits);
    for await (const { topology, frame } of frames) {
      count++;
      if (!frame.lattice) throw new OptionError('a LAMMPS dump needs a periodic cell; this frame has none');
      const { lattice, positions } = toLammpsOrientation(frame.lattice, frame.positions);
      const n = topology.natoms;
      const { types } = lammpsTypes(topology);
      let head = `ITEM: TIMESTEP\n${frame.step ?? count - 1}\n`;
      if (frame.timeFs !== undefined) head = `ITEM: TIME\n${frame.timeFs / units.time}\n${head}`;
      sink.write(`${head}ITEM: NUMBER OF ATOMS\n${n}\n${formatDumpBox(lattice)}`);
      const unwrapped = options.unwrapped === true;
      let cols = unwrapped ? 'xu yu zu' : 'x y z ix iy iz';
      if (frame.velocities) cols += ' vx vy vz';
      if (frame.forces) cols += ' fx fy fz';
      sink.write(`ITEM: ATOMS id type element ${cols}\n`);
      const frac = unwrapped ? undefined : lattice.toFractional(positions);
      const m = lattice.matrix;
      const v = frame.velocities;
      const f = frame.forces;
      const lines: string[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const o = 3 * i;
        let l = `${i + 1} ${types[i]} ${topology.symbol(i)} `;
        if (frac) {
          // Wrap into the box and keep the image flags, so nothing is lost.
          const ia = Math.floor(frac[o]);
          const ib = Math.floor(frac[o + 1]);
          const ic = Math.floor(frac[o + 2]);
          if (!(Math.max(Math.abs(ia), Math.abs(ib), Math.abs(ic)) < MAX_IMAGE_FLAG))
            throw new OligolyteError(
              `${sink.path}: cannot write frame ${count}: atom ${i + 1} is ${ia}, ${ib}, ${ic} cells from the box, beyond the image flags LAMMPS can hold (+-${MAX_IMAGE_FLAG})`,
            );
          const x = positions[o] - ia * m[0] - ib * m[3] - ic * m[6];
          const y = positions[o + 1] - ia * m[1] - ib * m[4] - ic * m[7];
          const z = positions[o + 2] - ia * m[2] - ib * m[5] - ic * m[8];
          l += `${x} ${y} ${z} ${ia} ${ib} ${ic}`;
        } else l += `${positions[o]} ${positions[o + 1]} ${positions[o + 2]}`;
        if (v) l += ` ${v[o] / units.velocity} ${v[o + 1] / units.velocity} ${v[o + 2] / units.velocity}`;
        if (f) l += ` ${f[o] / units.force} ${f[o + 1] / units.force} ${f[o + 2] / units.force}`;
        lines[i] = l;
      }
      sink.write(`${lines.join('\n')}\n`);
      await sink.flush();
    }
    if (count === 0) throw new OptionError('nothing to write: no frames');
    return count;
  },
};

/** Does a frame (types and element labels in id order) have the atoms of the previous one? */
const sameTypes = (
  t: Topology,
  types: Int32Array,
  labels: string[] | undefined,
  previousLabels: string[] | undefined,
): boolean => {
  if (t.natoms !== types.length) return false;
  if (labels) {
    if (previousLabels?.length !== labels.length) return false;
    for (let j = 0; j < labels.length; j++) if (labels[j] !== previousLabels[j]) return false;
  }
  if (t.typeIds) {
    for (let j = 0; j < types.length; j++) if (t.typeIds[j] !== types[j]) return false;
  } else if (!labels) return false;
  return true;
};

/** Is `x` in the ascending array `a`? */
const binarySearch = (a: Int32Array, x: number): boolean => {
  let lo = 0;
  let hi = a.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] === x) return true;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
};
