import { describe, expect, it } from 'vitest';
import { Composition } from '../../src/core/composition.js';
import {
  AVOGADRO_PER_MOL,
  a2PerFsToCm2PerS,
  atomsPerA3ToGPerCm3,
  BOHR_A,
  BOLTZMANN_EV_PER_K,
  CALORIE_J,
  densityGPerCm3,
  ELEMENTARY_CHARGE_C,
  EV_IN_KCAL_PER_MOL,
  evToKcalPerMol,
  FTM2V,
  fsToPs,
  gPerCm3ToAtomsPerA3,
  KB_KCAL,
  kelvinToEv,
  NKTV2P,
  QQR2E_REAL,
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
  it("keeps LAMMPS's real-units constants as LAMMPS has them, each within 2e-6 of CODATA 2018", () => {
    // LAMMPS src/update.cpp, Update::set_units, style real: force->boltz, ftm2v, nktv2p, qqr2e.
    expect(KB_KCAL).toBe(0.0019872067);
    expect(FTM2V).toBe(1 / 48.88821291 / 48.88821291);
    expect(NKTV2P).toBe(68568.415);
    expect(QQR2E_REAL).toBe(332.06371);
    const near = (a: number, b: number) => expect(Math.abs(a / b - 1)).toBeLessThan(2e-6);
    // kB in kcal/mol/K.
    near(KB_KCAL, BOLTZMANN_EV_PER_K * EV_IN_KCAL_PER_MOL);
    // 1 (kcal/mol/A) / (g/mol) = 4184 J / 1e-10 m / 1e-3 kg = 4.184e16 m/s^2 = 4.184e-4 A/fs^2.
    near(FTM2V, 4.184e-4);
    // 1 kcal/mol/A^3 in atm: 4184 J / N_A / 1e-30 m^3 / 101325 Pa.
    near(NKTV2P, (CALORIE_J * 1000) / AVOGADRO_PER_MOL / 1e-30 / 101325);
    // e^2 / (4 pi eps0) in kcal A / mol, eps0 = 8.8541878128e-12 F/m (CODATA 2018).
    const e = ELEMENTARY_CHARGE_C;
    near(QQR2E_REAL, ((e * e) / (4 * Math.PI * 8.8541878128e-12) / 1e-10) * (AVOGADRO_PER_MOL / 4184));
    // CODATA 2018 Bohr radius, 0.529177210903(80) A.
    expect(BOHR_A).toBe(0.529177210903);
  });
});
