/**
 * A single point in LAMMPS (Debian package lammps, `lmp`) of oligolyte's export
 * (engines/lammps-export.ts: thermo_style step pe ebond eangle evdwl ecoul elong press pxx pyy pzz
 * pxy pxz pyz edihed, and forces.dump): the energies (kcal/mol), the pressure tensor (atm) and
 * each atom's force by its id (kcal/mol/A), for the tests that compare with it.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type LammpsExport, writeLammpsExport } from '../../src/engines/lammps-export.js';

export interface LammpsSinglePoint {
  pe: number;
  ebond: number;
  eangle: number;
  evdwl: number;
  ecoul: number;
  elong: number;
  /** xx yy zz xy xz yz (atm). */
  pressure: number[];
  /** Per atom, by LAMMPS id (from 1): fx fy fz. */
  forces: Map<number, [number, number, number]>;
}

export const lammpsSinglePoint = (dir: string, files: LammpsExport): LammpsSinglePoint => {
  writeLammpsExport(dir, files);
  execFileSync('lmp', ['-in', 'in.oligolyte', '-log', 'log.lammps', '-screen', 'none'], { cwd: dir });
  const log = readFileSync(join(dir, 'log.lammps'), 'utf8').split('\n');
  const k = log.findIndex((l) => l.trim().startsWith('Step'));
  const [, pe, ebond, eangle, evdwl, ecoul, elong, , ...rest] = log[k + 1].trim().split(/\s+/).map(Number);
  const forces = new Map<number, [number, number, number]>();
  for (const line of readFileSync(join(dir, 'forces.dump'), 'utf8').trim().split('\n').slice(9)) {
    const [id, fx, fy, fz] = line.trim().split(/\s+/).map(Number);
    forces.set(id, [fx, fy, fz]);
  }
  return { pe, ebond, eangle, evdwl, ecoul, elong, pressure: rest.slice(0, 6), forces };
};
