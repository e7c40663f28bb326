import { describe, expect, it } from 'vitest';
import { Composition } from '../../src/core/composition.js';
import {
  AVOGADRO_PER_MOL,
  a2PerFsToCm2PerS,
  atomsPerA3ToGPerCm3,
  BOLTZMANN_EV_PER_K,
  densityGPerCm3,
  EV_IN_KCAL_PER_MOL,
  evToKcalPerMol,
  fsToPs,
  gPerCm3ToAtomsPerA3,
  kelvinToEv,
  volumeForDensityA3,
} from '../../src/core/units.js';

describe('units', () => {
  it('uses the CODATA 2018 exact constants', () => {
    expect(BOLTZMANN_EV_PER_K).toBe(8.617333262145179e-5); // = scipy.constants.k / scipy.constants.e
    expect(AVOGADRO_PER_MOL).toBe(6.02214076e23);
    // 1 eV = 23.0605478 kcal/mol (CODATA 2018 e, N_A; thermochemical calorie).
    expect(EV_IN_KCAL_PER_MOL).toBeCloseTo(23.060547830619026, 12);
    expect(evToKcalPerMol(2)).toBeCloseTo(46.12109566, 7);
  });
  it('converts time, diffusivity and temperature', () => {
    expect(fsToPs(2500)).toBe(2.5);
    expect(a2PerFsToCm2PerS(1)).toBeCloseTo(0.1, 15);
    expect(kelvinToEv(300)).toBeCloseTo(0.025852, 6);
  });
  it('reproduces the study cell: 8 x Li3Al3O2Cl8 at 1.9 g/cm3 is a 14.29 A cube (SCIENCE.md section 3)', () => {
    const mass = Composition.parse('Li3Al3O2Cl8').molarMass * 8;
    const v = volumeForDensityA3(mass, 1.9);
    expect(v).toBeCloseTo(2918, 0);
    expect(Math.cbrt(v)).toBeCloseTo(14.29, 2);
    expect(densityGPerCm3(mass, v)).toBeCloseTo(1.9, 12);
  });
  it('round-trips mass density and number density', () => {
    // Rock-salt LiCl, a = 5.1295 A, 8 atoms, mean atomic mass (6.94 + 35.45) / 2 = 21.195 amu:
    // rho = 4 x 42.39 amu / a^3 = 2.08616 g/cm3.
    const rho = densityGPerCm3(4 * (6.94 + 35.45), 5.1295 ** 3);
    expect(rho).toBeCloseTo(2.08616, 5);
    const n = gPerCm3ToAtomsPerA3(rho, 21.195);
    expect(n * 5.1295 ** 3).toBeCloseTo(8, 10);
    expect(atomsPerA3ToGPerCm3(n, 21.195)).toBeCloseTo(rho, 12);
  });
});
