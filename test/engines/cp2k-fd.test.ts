/**
 * CP2K's forces and stress, as oligolyte reads them, against finite differences of CP2K energies
 * (test/reference/cp2k/make-cp2k-fd.py: its own inputs and energy parsing; the rattled 8-atom
 * LiCl cell at the pbe-d3 physics with EPS_SCF 1e-8). This fixes the units (Hartree/bohr -> eV/A,
 * GPa -> eV/A^3) and the sign of the stress (CP2K prints a pressure; oligolyte's stress is
 * positive tensile). No CP2K needed: the reference and CP2K's output are committed.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCp2kOutput } from '../../src/engines/cp2k/output.js';
import { fixture } from '../helpers.js';

interface FdReference {
  forces: { atom: number; component: 'x' | 'y' | 'z'; forceEvA: number }[];
  stress: { component: string; stressEvA3: number }[];
  baseEnergyEv: number;
}

const ref = JSON.parse(readFileSync(fixture('cp2k/licl-fd.json'), 'utf8')) as FdReference;
const base = parseCp2kOutput(readFileSync(fixture('cp2k/licl-fd-base.out'), 'utf8'), 'licl-fd-base.out', 8);

describe('CP2K against finite differences of its energies', () => {
  it('the same energy as the reference script read', () => {
    expect(base.energyEv).toBeCloseTo(ref.baseEnergyEv, 6);
  });

  it('forces (eV/A): each component within 2e-3 eV/A of -dE/dx', () => {
    for (const f of ref.forces) {
      const k = 3 * (f.atom - 1) + 'xyz'.indexOf(f.component);
      expect(Math.abs(base.forcesEvA[k] - f.forceEvA)).toBeLessThan(2e-3);
      // Forces of a 0.06 A rattle are tenths of an eV/A: the check is not of zeros.
      expect(Math.abs(f.forceEvA)).toBeGreaterThan(0.01);
    }
  });

  it('stress (eV/A^3, positive tensile): (1/V) dE/d(strain), sign and size', () => {
    for (const s of ref.stress) {
      const [a, b] = [...s.component].map((c) => 'xyz'.indexOf(c));
      const analytic = base.stressEvA3![3 * a + b];
      expect(Math.sign(analytic)).toBe(Math.sign(s.stressEvA3));
      // 0.01 GPa = 6.2e-5 eV/A^3.
      expect(Math.abs(analytic - s.stressEvA3)).toBeLessThan(6.2e-5);
    }
  });
});
