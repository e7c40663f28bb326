/**
 * Units and physical constants, in one place (CODATA 2018 exact and recommended values).
 *
 * Library-wide units: length Angstrom (A), time femtosecond (fs) unless a field name says ps,
 * energy eV, temperature K, mass amu (unified atomic mass unit, Da), charge e, velocity A/fs,
 * force eV/A, stress eV/A^3 (positive = tensile, as ASE), density g/cm^3, diffusivity cm^2/s,
 * conductivity mS/cm.
 */

/** Boltzmann constant, J/K (CODATA 2018, exact). */
export const BOLTZMANN_J_PER_K = 1.380649e-23;
/** Elementary charge, C (CODATA 2018, exact). */
export const ELEMENTARY_CHARGE_C = 1.602176634e-19;
/** Boltzmann constant, eV/K: k_B / e, both exact since the 2019 SI (8.617333262...e-5). */
export const BOLTZMANN_EV_PER_K = BOLTZMANN_J_PER_K / ELEMENTARY_CHARGE_C;
/** Avogadro constant, 1/mol (CODATA 2018, exact). */
export const AVOGADRO_PER_MOL = 6.02214076e23;
/** Atomic mass constant (1 amu), kg (CODATA 2018). */
export const AMU_KG = 1.6605390666e-27;
/** Atomic mass constant, g. */
export const AMU_G = AMU_KG * 1e3;
/** Thermochemical calorie, J. */
export const CALORIE_J = 4.184;

/** 1 A^3 in cm^3. */
export const CUBIC_ANGSTROM_CM3 = 1e-24;
/** 1 A^2/fs in cm^2/s: (1e-8 cm)^2 / 1e-15 s. */
export const A2_PER_FS_IN_CM2_PER_S = 0.1;
/** 1 eV/A^3 in GPa: 1.602176634e-19 J / 1e-30 m^3 = 160.2176634 GPa. */
export const EV_PER_A3_IN_GPA = ELEMENTARY_CHARGE_C * 1e21;
/** 1 eV/A^3 in bar. */
export const EV_PER_A3_IN_BAR = EV_PER_A3_IN_GPA * 1e4;
/** 1 atm (101325 Pa) in GPa. */
export const ATM_IN_GPA = 1.01325e-4;
/** 1 eV in kcal/mol: e N_A / 4184. */
export const EV_IN_KCAL_PER_MOL = (ELEMENTARY_CHARGE_C * AVOGADRO_PER_MOL) / (CALORIE_J * 1000);
/** Nanometre in A. */
export const NM_IN_A = 10;
/** Bohr radius, 0.529177210903 A (CODATA 2018). */
export const BOHR_A = 0.529177210903;

/*
 * LAMMPS `real` units (A, fs, kcal/mol, g/mol, K, atm, e), in which the force field and the
 * embedded MD engine work so that their numbers match LAMMPS's digit for digit. The values are
 * LAMMPS's own (Update::set_units in update.cpp, style real; thermochemical calorie, older CODATA),
 * not recomputed from the constants above (LAMMPS's kB is 1.2e-6 above BOLTZMANN_EV_PER_K *
 * EV_IN_KCAL_PER_MOL, its nktv2p 1.2e-7 below CODATA 2018's).
 */
/** Force over mass to acceleration: 1 (kcal/mol/A) / (g/mol) = 1 / 48.88821291^2 A/fs^2 (LAMMPS force->ftm2v, real). */
export const FTM2V = 1 / 48.88821291 / 48.88821291;
/** Boltzmann constant, 0.0019872067 kcal/mol/K (LAMMPS force->boltz, real). */
export const KB_KCAL = 0.0019872067;
/** Pressure: 1 kcal/mol/A^3 = 68568.415 atm (LAMMPS force->nktv2p, real). */
export const NKTV2P = 68568.415;
/** Coulomb constant 1 / (4 pi eps0) = 332.06371 kcal A / (mol e^2) (LAMMPS force->qqr2e, real). */
export const QQR2E_REAL = 332.06371;

export const fsToPs = (fs: number): number => fs * 1e-3;
export const psToFs = (ps: number): number => ps * 1e3;
/** ASE's time unit, 1e-10 m * sqrt(amu / eV), in fs: ASE momenta are amu * A per that unit. */
export const ASE_TIME_UNIT_FS = 10.180505671156723;

/** A^2/fs to cm^2/s. */
export const a2PerFsToCm2PerS = (d: number): number => d * A2_PER_FS_IN_CM2_PER_S;
/** cm^2/s to A^2/fs. */
export const cm2PerSToA2PerFs = (d: number): number => d / A2_PER_FS_IN_CM2_PER_S;
export const evToKcalPerMol = (e: number): number => e * EV_IN_KCAL_PER_MOL;
export const kcalPerMolToEv = (e: number): number => e / EV_IN_KCAL_PER_MOL;
/** Thermal energy k_B T in eV. */
export const kelvinToEv = (t: number): number => t * BOLTZMANN_EV_PER_K;
export const evToKelvin = (e: number): number => e / BOLTZMANN_EV_PER_K;
export const evPerA3ToGpa = (s: number): number => s * EV_PER_A3_IN_GPA;
export const gpaToEvPerA3 = (s: number): number => s / EV_PER_A3_IN_GPA;
/** VASP reports stress in kBar (0.1 GPa), positive = compressive (pressure); flips sign. */
export const kbarToEvPerA3 = (p: number): number => -p / (EV_PER_A3_IN_BAR * 1e-3);

/**
 * Mass density (g/cm^3) of `totalMassAmu` in `volumeA3`:
 * rho = m[amu] * 1.66053906660e-24 g / (V[A^3] * 1e-24 cm^3).
 */
export const densityGPerCm3 = (totalMassAmu: number, volumeA3: number): number =>
  (totalMassAmu * AMU_G) / (volumeA3 * CUBIC_ANGSTROM_CM3);

/** Number density (1/A^3) of a material with mass density rho (g/cm^3) and mean atomic mass (amu). */
export const gPerCm3ToAtomsPerA3 = (rho: number, meanAtomMassAmu: number): number =>
  (rho * CUBIC_ANGSTROM_CM3) / (meanAtomMassAmu * AMU_G);

/** Mass density (g/cm^3) from number density (1/A^3) and mean atomic mass (amu). */
export const atomsPerA3ToGPerCm3 = (n: number, meanAtomMassAmu: number): number =>
  (n * meanAtomMassAmu * AMU_G) / CUBIC_ANGSTROM_CM3;

/** Volume (A^3) that `totalMassAmu` occupies at mass density rho (g/cm^3). */
export const volumeForDensityA3 = (totalMassAmu: number, rho: number): number =>
  (totalMassAmu * AMU_G) / (rho * CUBIC_ANGSTROM_CM3);
