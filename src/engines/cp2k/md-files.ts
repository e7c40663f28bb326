import { ParseError } from '../../core/errors.js';
import { BOHR_A } from '../../core/units.js';
import { AU_TIME_FS } from './input.js';
import { HARTREE_EV, HARTREE_PER_BOHR_EV_A } from './output.js';

/**
 * The files CP2K's MD writes (MOTION/PRINT), read into arrays in oligolyte's units:
 *   <project>-pos-1.xyz  positions (A), comment "i = step, time = fs, E = potential (Hartree)"
 *   <project>-vel-1.xyz  velocities (bohr per atomic time unit)
 *   <project>-frc-1.xyz  forces (Hartree/bohr)
 *   <project>-1.ener     step, time (fs), kinetic (Hartree), temperature (K), potential (Hartree),
 *                        conserved quantity (Hartree), CPU time (s)
 *   <project>-1.stress   step, time (fs), the pressure tensor xx xy xz yx yy yz zx zy zz (bar)
 */

export interface XyzFrame {
  step: number;
  timeFs?: number;
  /** Potential energy in the comment (Hartree), positions files only. */
  energyHartree?: number;
  elements: string[];
  values: Float64Array;
  /** Line of the frame's atom count (1-based). */
  line: number;
}

/** Every frame of a CP2K XYZ file (positions, velocities or forces; values as written). */
export const readCp2kXyz = (text: string, file: string): XyzFrame[] => {
  const lines = text.split('\n');
  const out: XyzFrame[] = [];
  let i = 0;
  while (i < lines.length) {
    if (lines[i].trim() === '') {
      i++;
      continue;
    }
    const n = Number(lines[i].trim());
    if (!Number.isInteger(n) || n < 1)
      throw new ParseError({ file, line: i + 1, expected: 'an atom count', found: lines[i].trim() });
    if (i + n + 1 >= lines.length)
      throw new ParseError({ file, line: lines.length, expected: `${n} atom lines`, found: 'end of file' });
    const comment = lines[i + 1];
    const step = /i =\s*(\d+)/.exec(comment);
    if (!step)
      throw new ParseError({ file, line: i + 2, expected: 'a comment "i = step, ..."', found: comment });
    const time = /time =\s*(\S+?),?\s/.exec(`${comment} `);
    const energy = /E =\s*(\S+)/.exec(comment);
    const values = new Float64Array(3 * n);
    const elements: string[] = [];
    for (let a = 0; a < n; a++) {
      const t = lines[i + 2 + a].trim().split(/\s+/);
      if (t.length < 4)
        throw new ParseError({ file, line: i + 3 + a, expected: 'element x y z', found: lines[i + 2 + a] });
      elements.push(t[0]);
      for (let d = 0; d < 3; d++) {
        const v = Number(t[1 + d]);
        if (!Number.isFinite(v))
          throw new ParseError({ file, line: i + 3 + a, expected: 'a number', found: t[1 + d] });
        values[3 * a + d] = v;
      }
    }
    out.push({
      step: Number(step[1]),
      timeFs: time ? Number(time[1].replace(/,$/, '')) : undefined,
      energyHartree: energy ? Number(energy[1]) : undefined,
      elements,
      values,
      line: i + 1,
    });
    i += n + 2;
  }
  return out;
};

/** Velocities bohr/a.u. time -> A/fs, in place. */
export const velocitiesToAPerFs = (v: Float64Array): Float64Array => v.map((x) => (x * BOHR_A) / AU_TIME_FS);
/** Forces Hartree/bohr -> eV/A. */
export const forcesToEvA = (f: Float64Array): Float64Array => f.map((x) => x * HARTREE_PER_BOHR_EV_A);
export const hartreeToEv = (e: number): number => e * HARTREE_EV;

/** Rows of a whitespace table with '#' comments, each of `columns` numbers. */
export const readNumberTable = (text: string, file: string, columns: number, what: string): number[][] => {
  const rows: number[][] = [];
  text.split('\n').forEach((l, k) => {
    const s = l.trim();
    if (s === '' || s.startsWith('#')) return;
    const t = s.split(/\s+/).map(Number);
    if (t.length !== columns || t.some((x) => !Number.isFinite(x)))
      throw new ParseError({ file, line: k + 1, expected: `${columns} numbers (${what})`, found: s });
    rows.push(t);
  });
  return rows;
};
