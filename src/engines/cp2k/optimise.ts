import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ParseError, PhysicsError } from '../../core/errors.js';
import type { Structure } from '../../core/frame.js';
import { Lattice } from '../../core/lattice.js';
import { CP2K_PROJECT, cp2kInput } from './input.js';
import { HARTREE_EV, parseCp2kOutput } from './output.js';
import { CP2K_INPUT, CP2K_OUTPUT, type Cp2kRunOptions, checkElements, runCp2kInput } from './run.js';
import type { Cp2kSettings } from './settings.js';

/**
 * Geometry optimisation through CP2K (GEO_OPT: atoms; CELL_OPT: atoms and cell, at an external
 * pressure), BFGS. The final structure is read back from CP2K's position trajectory (XYZ, A; the
 * last frame is the last accepted geometry) and, for CELL_OPT, its cell file; energy, forces and
 * stress are those of that last geometry (the last evaluation in the output).
 */

export interface Cp2kOptimiseOptions extends Cp2kRunOptions {
  cell: boolean;
  maxSteps: number;
  pressureGPa?: number;
  /** Largest force at convergence (eV/A); default CP2K's 4.5e-4 Hartree/bohr (0.023 eV/A). */
  maxForceEvA?: number;
}

export interface Cp2kOptimised {
  structure: Structure;
  /** Optimisation steps CP2K took. */
  steps: number;
  converged: boolean;
  dir: string;
}

/** The last frame of a CP2K XYZ trajectory: positions (A) and the step in its comment. */
export const lastXyzFrame = (
  text: string,
  file: string,
  natoms: number,
): { positions: Float64Array; step?: number; energyHartree?: number } => {
  const lines = text.split('\n');
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  const per = natoms + 2;
  if (lines.length < per || lines.length % per !== 0)
    throw new ParseError({
      file,
      line: lines.length,
      expected: `frames of ${natoms} atoms (${per} lines each)`,
      found: `${lines.length} lines`,
    });
  const start = lines.length - per;
  const comment = lines[start + 1];
  const step = /i =\s*(\d+)/.exec(comment);
  const energy = /E =\s*(\S+)/.exec(comment);
  const positions = new Float64Array(3 * natoms);
  for (let i = 0; i < natoms; i++) {
    const t = lines[start + 2 + i].trim().split(/\s+/);
    for (let d = 0; d < 3; d++) {
      const v = Number(t[1 + d]);
      if (t.length < 4 || !Number.isFinite(v))
        throw new ParseError({
          file,
          line: start + 3 + i,
          expected: 'an atom line "element x y z" (A)',
          found: lines[start + 2 + i],
        });
      positions[3 * i + d] = v;
    }
  }
  return {
    positions,
    step: step ? Number(step[1]) : undefined,
    energyHartree: energy ? Number(energy[1]) : undefined,
  };
};

/** The last cell of a CP2K .cell file ("step time Ax Ay Az Bx By Bz Cx Cy Cz volume", A). */
export const lastCell = (text: string, file: string): Lattice => {
  const lines = text.split('\n');
  for (let k = lines.length - 1; k >= 0; k--) {
    const l = lines[k].trim();
    if (l === '' || l.startsWith('#')) continue;
    const t = l.split(/\s+/).map(Number);
    if (t.length !== 12 || t.some((x) => !Number.isFinite(x)))
      throw new ParseError({
        file,
        line: k + 1,
        expected: 'step, time, 9 cell components (A) and the volume',
        found: l,
      });
    return new Lattice(t.slice(2, 11));
  }
  throw new ParseError({ file, expected: 'a cell line', found: 'none' });
};

export const cp2kOptimise = async (
  s: Structure,
  settings: Cp2kSettings,
  dir: string,
  options: Cp2kOptimiseOptions,
): Promise<Cp2kOptimised> => {
  const abs = resolve(dir);
  mkdirSync(abs, { recursive: true });
  writeFileSync(
    join(abs, CP2K_INPUT),
    cp2kInput(s, settings, {
      kind: 'optimise',
      cell: options.cell,
      maxSteps: options.maxSteps,
      pressureGPa: options.pressureGPa,
      maxForceEvA: options.maxForceEvA,
    }),
  );
  await runCp2kInput(abs, options);
  const out = join(abs, CP2K_OUTPUT);
  const text = readFileSync(out, 'utf8');
  const result = parseCp2kOutput(text, out, s.topology.natoms);
  checkElements(result, s, out);
  const converged = /GEOMETRY OPTIMIZATION COMPLETED/.test(text);
  if (!converged && !/MAXIMUM NUMBER OF OPTIMIZATION STEPS REACHED/.test(text))
    throw new PhysicsError(
      `${out}: CP2K's optimisation ended without saying it converged or ran out of steps`,
    );
  const posFile = join(abs, `${CP2K_PROJECT}-pos-1.xyz`);
  if (!existsSync(posFile)) throw new PhysicsError(`${posFile}: CP2K wrote no trajectory`);
  const last = lastXyzFrame(readFileSync(posFile, 'utf8'), posFile, s.topology.natoms);
  // The trajectory's last frame must be the geometry of the last evaluation read above.
  if (last.energyHartree !== undefined && Math.abs(last.energyHartree * HARTREE_EV - result.energyEv) > 1e-4)
    throw new PhysicsError(
      `${posFile}: the last frame's energy (${last.energyHartree} Hartree) is not the output's last energy; the trajectory and ${out} do not belong together`,
    );
  let lattice = s.frame.lattice!;
  if (options.cell) {
    const cellFile = join(abs, `${CP2K_PROJECT}-1.cell`);
    if (!existsSync(cellFile)) throw new PhysicsError(`${cellFile}: CP2K wrote no cell file`);
    lattice = lastCell(readFileSync(cellFile, 'utf8'), cellFile);
  }
  return {
    structure: {
      topology: s.topology,
      frame: {
        positions: last.positions,
        lattice,
        energy: result.energyEv,
        forces: result.forcesEvA,
        ...(result.stressEvA3 ? { stress: result.stressEvA3 } : {}),
      },
    },
    steps: last.step ?? 0,
    converged,
    dir: abs,
  };
};
