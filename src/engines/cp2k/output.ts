import { ParseError, PhysicsError } from '../../core/errors.js';
import { BOHR_A, gpaToEvPerA3 } from '../../core/units.js';

/**
 * CP2K's main output file, read for what a single point or optimisation step reports: the total
 * energy (ENERGY| line, Hartree), the atomic forces (FORCE_EVAL/PRINT/FORCES, Hartree/bohr), the
 * analytical stress tensor (FORCE_EVAL/PRINT/STRESS_TENSOR, GPa), the SCF convergence of every
 * step, and CP2K's own abort message when it stopped. The last of each is the result (an
 * optimisation prints one per step).
 */

/** Hartree in eV (CODATA 2018). */
export const HARTREE_EV = 27.211386245988;
/** Hartree/bohr in eV/A. */
export const HARTREE_PER_BOHR_EV_A = HARTREE_EV / BOHR_A;

export interface Cp2kResult {
  /** CP2K's version string ("CP2K version 2023.1"). */
  version?: string;
  /** Total energy of the last evaluation (eV). */
  energyEv: number;
  /** Forces of the last evaluation (eV/A, interleaved x0 y0 z0 x1 ...). */
  forcesEvA: Float64Array;
  /**
   * Stress of the last evaluation as oligolyte frames hold it: eV/A^3, 3x3 row-major, positive =
   * tensile (CP2K prints the pressure tensor, positive = compressive, in GPa: the sign is
   * flipped; test/reference/cp2k checks it against finite differences of the energy in strain).
   */
  stressEvA3?: Float64Array;
  /** Pressure tensor as CP2K prints it (GPa, positive = compressive), 3x3 row-major. */
  pressureTensorGPa?: Float64Array;
  /** SCF steps of each evaluation, in order. */
  scfSteps: number[];
  /** Element symbol of each atom in the forces block. */
  elements: string[];
}

/** CP2K's abort message (the text in its [ABORT] box), if the output has one. */
export const cp2kAbortMessage = (text: string): string | undefined => {
  const lines = text.split('\n');
  const k = lines.findIndex((l) => l.includes('[ABORT]'));
  if (k < 0) return undefined;
  const parts: string[] = [];
  for (let i = k + 1; i < lines.length && i < k + 12; i++) {
    const l = lines[i];
    if (/^\s*\*{20,}\s*$/.test(l)) break;
    // Box rows: " *  \___/   message   *" - keep the message, drop the drawing and the frame.
    const inner = l.replace(/^\s*\*/, '').replace(/\*\s*$/, '');
    const msg = inner.replace(/^\s*(\\___\/|\||O\/\||\/\| \||\/ \\)/, '').trim();
    if (msg && !/^[\\/|_O ]+$/.test(msg)) parts.push(msg);
  }
  return parts.join(' ').replace(/\s+/g, ' ').trim() || 'CP2K aborted (no message)';
};

const number = (s: string, file: string, line: number, what: string): number => {
  const v = Number(s.replace(/[dD]/, 'E'));
  if (!Number.isFinite(v)) throw new ParseError({ file, line, expected: what, found: s });
  return v;
};

/**
 * Read a CP2K output text (`file` names it in errors). Throws PhysicsError when an SCF did not
 * converge or CP2K aborted, ParseError when the output lacks a complete result.
 */
export const parseCp2kOutput = (text: string, file: string, natoms?: number): Cp2kResult => {
  const abort = cp2kAbortMessage(text);
  if (abort) throw new PhysicsError(`CP2K stopped (${file}): ${abort}`);
  const lines = text.split('\n');
  let version: string | undefined;
  let energy: { value: number; line: number } | undefined;
  let forcesAt = -1;
  let stressAt = -1;
  const scfSteps: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (version === undefined) {
      const v = /CP2K\| version string:\s+(.+?)\s*$/.exec(l);
      if (v) version = v[1];
    }
    const e = /^\s*ENERGY\| Total FORCE_EVAL \( \w+ \) energy \[(a\.u\.|hartree)\]:\s+(\S+)/.exec(l);
    if (e) energy = { value: number(e[2], file, i + 1, 'an energy (Hartree)'), line: i + 1 };
    const c = /\*\*\* SCF run converged in\s+(\d+) steps/.exec(l);
    if (c) scfSteps.push(Number(c[1]));
    if (/SCF run NOT converged|outer SCF loop FAILED to converge/.test(l))
      throw new PhysicsError(
        `CP2K's SCF did not converge (${file}:${i + 1}: "${l.trim()}"): raise max_scf / max_outer_scf, use scf = "diagonalization" with smearing for a gapless frame, or check the structure for overlapping atoms`,
      );
    if (/^\s*ATOMIC FORCES in \[a\.u\.\]/.test(l)) forcesAt = i;
    if (/^\s*STRESS\| Analytical stress tensor \[GPa\]/.test(l)) stressAt = i;
  }
  if (!energy)
    throw new ParseError({
      file,
      expected: 'an "ENERGY| Total FORCE_EVAL ( QS ) energy [a.u.]:" line (CP2K may have stopped early)',
      found: 'none',
    });
  if (forcesAt < 0)
    throw new ParseError({
      file,
      expected: 'an "ATOMIC FORCES in [a.u.]" block (FORCE_EVAL/PRINT/FORCES ON)',
      found: 'none',
    });
  // Forces: a header line "# Atom Kind Element X Y Z", one line per atom, then "SUM OF ATOMIC FORCES".
  const forces: number[] = [];
  const elements: string[] = [];
  let i = forcesAt + 1;
  while (i < lines.length && !/^\s*# Atom/.test(lines[i])) i++;
  for (i++; i < lines.length; i++) {
    const l = lines[i];
    if (/SUM OF ATOMIC FORCES/.test(l)) break;
    const t = l.trim().split(/\s+/);
    if (t.length !== 6 || !/^\d+$/.test(t[0]))
      throw new ParseError({
        file,
        line: i + 1,
        expected: 'an atom force line "index kind element Fx Fy Fz" or "SUM OF ATOMIC FORCES"',
        found: l.trim(),
      });
    if (Number(t[0]) !== elements.length + 1)
      throw new ParseError({ file, line: i + 1, expected: `atom ${elements.length + 1}`, found: t[0] });
    elements.push(t[2]);
    for (let d = 3; d < 6; d++) forces.push(number(t[d], file, i + 1, 'a force component (Hartree/bohr)'));
  }
  if (i >= lines.length)
    throw new ParseError({
      file,
      line: i,
      expected: 'the "SUM OF ATOMIC FORCES" line',
      found: 'end of file',
    });
  if (natoms !== undefined && elements.length !== natoms)
    throw new ParseError({
      file,
      line: forcesAt + 1,
      expected: `forces on ${natoms} atoms`,
      found: `${elements.length} atoms`,
    });
  const result: Cp2kResult = {
    version,
    energyEv: energy.value * HARTREE_EV,
    forcesEvA: Float64Array.from(forces, (f) => f * HARTREE_PER_BOHR_EV_A),
    scfSteps,
    elements,
  };
  if (stressAt >= 0) {
    // "STRESS|  x  sxx sxy sxz" for x, y, z after a header of column names.
    const p = new Float64Array(9);
    for (let r = 0; r < 3; r++) {
      const n = stressAt + 2 + r;
      const t = (lines[n] ?? '').trim().split(/\s+/);
      if (t.length !== 5 || t[0] !== 'STRESS|' || t[1] !== 'xyz'[r])
        throw new ParseError({
          file,
          line: n + 1,
          expected: `the stress tensor row "STRESS| ${'xyz'[r]} s1 s2 s3" (GPa)`,
          found: lines[n]?.trim() ?? 'end of file',
        });
      for (let c = 0; c < 3; c++) p[3 * r + c] = number(t[2 + c], file, n + 1, 'a stress component (GPa)');
    }
    result.pressureTensorGPa = p;
    result.stressEvA3 = p.map((x) => -gpaToEvPerA3(x));
  }
  return result;
};
