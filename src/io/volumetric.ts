import { atomicNumber } from '../core/elements.js';
import type { Structure } from '../core/frame.js';
import { BOHR_A } from '../core/units.js';
import type { VolumetricGrid } from '../core/volumetric-grid.js';
import { formatTripletLines, formatVaspHeader } from './formats/vasp-common.js';
import { TextSink } from './text-sink.js';

const sci = (v: number): string => v.toExponential(5).replace(/e([+-])(\d)$/, 'e$10$2');

/**
 * VASP CHGCAR-style volumetric file (read by VESTA and OVITO): the structure as a POSCAR, a blank
 * line, the grid shape, then density x cell volume (VASP stores rho V) with a fastest, 5 per line.
 */
export const writeChgcar = async (
  path: string,
  structure: Structure,
  grid: VolumetricGrid,
): Promise<void> => {
  const sink = new TextSink(path);
  try {
    const { topology, frame } = structure;
    const L = grid.lattice;
    sink.write(formatVaspHeader('probability density (rho x V), oligolyte', L, topology.symbols));
    sink.write('Direct\n');
    sink.write(formatTripletLines(L.toFractional(frame.positions)));
    sink.write(`\n ${grid.shape.join(' ')}\n`);
    const v = grid.values;
    const V = L.volume;
    let line: string[] = [];
    for (let i = 0; i < v.length; i++) {
      line.push(sci(v[i] * V));
      if (line.length === 5) {
        sink.write(` ${line.join(' ')}\n`);
        line = [];
        await sink.flush();
      }
    }
    if (line.length) sink.write(` ${line.join(' ')}\n`);
    await sink.commit();
  } catch (e) {
    await sink.abort();
    throw e;
  }
};

/**
 * Gaussian cube file (read by VESTA, OVITO, VMD): lengths in bohr, values in 1/bohr^3, c fastest
 * (loops a, then b, then c innermost), 6 values per line.
 */
export const writeCube = async (path: string, structure: Structure, grid: VolumetricGrid): Promise<void> => {
  const sink = new TextSink(path);
  try {
    const { topology, frame } = structure;
    const L = grid.lattice;
    const m = L.matrix;
    const [na, nb, nc] = grid.shape;
    const n = topology.natoms;
    const b = (x: number) => (x / BOHR_A).toFixed(6).padStart(12);
    sink.write('probability density (1/bohr^3), oligolyte\n');
    sink.write(`grid ${na} x ${nb} x ${nc}, values integrate to 1 over the cell\n`);
    sink.write(`${String(n).padStart(5)}${b(0)}${b(0)}${b(0)}\n`);
    grid.shape.forEach((k, j) => {
      sink.write(`${String(k).padStart(5)}${b(m[3 * j] / k)}${b(m[3 * j + 1] / k)}${b(m[3 * j + 2] / k)}\n`);
    });
    for (let i = 0; i < n; i++) {
      const p = frame.positions;
      sink.write(
        `${String(atomicNumber(topology.symbol(i))).padStart(5)}${b(0)}${b(p[3 * i])}${b(p[3 * i + 1])}${b(p[3 * i + 2])}\n`,
      );
    }
    const toBohr3 = BOHR_A ** 3;
    const v = grid.values;
    let line: string[] = [];
    for (let ia = 0; ia < na; ia++)
      for (let ib = 0; ib < nb; ib++) {
        for (let ic = 0; ic < nc; ic++) {
          line.push(sci(v[ia + na * (ib + nb * ic)] * toBohr3));
          if (line.length === 6) {
            sink.write(` ${line.join(' ')}\n`);
            line = [];
          }
        }
        if (line.length) {
          sink.write(` ${line.join(' ')}\n`);
          line = [];
        }
        await sink.flush();
      }
    await sink.commit();
  } catch (e) {
    await sink.abort();
    throw e;
  }
};
