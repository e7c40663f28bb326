import { OptionError } from '../../core/errors.js';
import { Fields, type Raw } from '../../io/settings-fields.js';
import { readSettingsFile } from '../../io/settings-file.js';

/**
 * The electronic-structure settings of a CP2K (Quickstep, GPW) calculation, as data. A named
 * preset gives every value; a settings file (TOML/JSON, snake_case keys) or options override any
 * of them. Energies of one data set are only comparable when every setting is the same, so the
 * settings are written into each data set's provenance.
 */
export interface Cp2kSettings {
  /** Preset the settings started from (for provenance). */
  preset: string;
  /** XC functional (CP2K &XC_FUNCTIONAL name): PBE. */
  functional: string;
  /**
   * Dispersion correction: 'd3' (Grimme D3, zero damping: CP2K's DFTD3, VASP's IVDW = 11, what
   * "PBE-D3" names), 'd3bj' (Becke-Johnson damping: DFTD3(BJ), IVDW = 12) or 'none'.
   */
  dispersion: 'd3' | 'd3bj' | 'none';
  /** D3 pair cut-off (A). */
  d3CutoffA: number;
  /** Gaussian basis set name for every element (looked up in basisFile). */
  basis: string;
  /** Pseudopotential family (the element's entry "X GTH-PBE-qN" is found by CP2K's alias). */
  potential: string;
  basisFile: string;
  potentialFile: string;
  /** Plane-wave cut-off of the finest grid (Ry). */
  cutoffRy: number;
  /** Cut-off that maps a Gaussian to a grid level (Ry). */
  relCutoffRy: number;
  /** Multigrid levels. */
  ngrids: number;
  /** SCF convergence (CP2K EPS_SCF: the OT gradient / density change). */
  epsScf: number;
  /** Screening threshold of integrals (CP2K EPS_DEFAULT). */
  epsDefault: number;
  /** Inner SCF steps (per outer step with OT). */
  maxScf: number;
  /** Outer SCF steps (OT only). */
  maxOuterScf: number;
  /**
   * 'ot': orbital transformation, DIIS minimiser (insulators with a gap: LiCl, chloroaluminates,
   * the LAOC glass); 'diagonalization': with Broyden mixing and Fermi-Dirac smearing (metals,
   * gapless frames).
   */
  scf: 'ot' | 'diagonalization';
  /** OT preconditioner. */
  preconditioner: 'FULL_SINGLE_INVERSE' | 'FULL_ALL' | 'FULL_KINETIC';
  /** Smearing temperature for diagonalization (K). */
  smearingK: number;
  /** Added MOs for smearing. */
  addedMos: number;
  /** Total charge of the cell (e). */
  charge: number;
}

/**
 * The study's: PBE-D3 (zero damping, as VASP's "PBE-D3" and the measurement), MOLOPT
 * double-zeta short-range basis with GTH-PBE pseudopotentials, 400 Ry / REL_CUTOFF 60, Gamma
 * point, EPS_SCF 1e-6 with OT: every system here is an insulator with a wide gap (LiCl about
 * 6 eV at PBE), where OT/DIIS converges without smearing.
 */
const PBE_D3: Cp2kSettings = {
  preset: 'pbe-d3',
  functional: 'PBE',
  dispersion: 'd3',
  d3CutoffA: 15,
  basis: 'DZVP-MOLOPT-SR-GTH',
  potential: 'GTH-PBE',
  basisFile: 'BASIS_MOLOPT',
  potentialFile: 'GTH_POTENTIALS',
  cutoffRy: 400,
  relCutoffRy: 60,
  ngrids: 4,
  epsScf: 1e-6,
  epsDefault: 1e-10,
  // Inner OT steps per outer step: each outer step rebuilds the preconditioner, which gets DIIS out
  // of the slow tail it stalls in (LiAlCl4: gradient 3e-6 after 25 steps, 2.7e-6 after 31).
  maxScf: 20,
  maxOuterScf: 15,
  scf: 'ot',
  // FULL_ALL: 13 SCF steps from the atomic guess on a rattled 8-atom LiCl cell where
  // FULL_SINGLE_INVERSE took 35 (and on 64 atoms fell back from DIIS to steepest descent).
  preconditioner: 'FULL_ALL',
  smearingK: 300,
  addedMos: 20,
  charge: 0,
};

/**
 * Cheap settings for tests only (not for data): the same physics at a lower cut-off and a looser
 * SCF, so that a CI run of the 8-atom LiCl cell takes seconds.
 */
const TEST_FAST: Cp2kSettings = {
  ...PBE_D3,
  preset: 'test-fast',
  cutoffRy: 200,
  relCutoffRy: 30,
  epsScf: 1e-5,
  epsDefault: 1e-8,
  d3CutoffA: 10,
};

export const CP2K_PRESETS: Readonly<Record<string, Cp2kSettings>> = {
  'pbe-d3': PBE_D3,
  'test-fast': TEST_FAST,
};

export const DEFAULT_CP2K_PRESET = 'pbe-d3';

/** A preset's settings (a copy). */
export const cp2kPreset = (name: string): Cp2kSettings => {
  const p = CP2K_PRESETS[name];
  if (!p)
    throw new OptionError(`unknown CP2K preset "${name}" (known: ${Object.keys(CP2K_PRESETS).join(', ')})`, {
      option: 'preset',
    });
  return { ...p };
};

/** snake_case key of each setting in settings files. */
const KEYS: Record<Exclude<keyof Cp2kSettings, 'preset'>, string> = {
  functional: 'functional',
  dispersion: 'dispersion',
  d3CutoffA: 'd3_cutoff',
  basis: 'basis',
  potential: 'potential',
  basisFile: 'basis_file',
  potentialFile: 'potential_file',
  cutoffRy: 'cutoff',
  relCutoffRy: 'rel_cutoff',
  ngrids: 'ngrids',
  epsScf: 'eps_scf',
  epsDefault: 'eps_default',
  maxScf: 'max_scf',
  maxOuterScf: 'max_outer_scf',
  scf: 'scf',
  preconditioner: 'preconditioner',
  smearingK: 'smearing',
  addedMos: 'added_mos',
  charge: 'charge',
};

/**
 * Settings from a table (`preset = "pbe-d3"` plus any overrides, snake_case: cutoff (Ry),
 * rel_cutoff (Ry), eps_scf, dispersion, ...); `file` names it in errors.
 */
export const cp2kSettingsFromObject = (raw: unknown, file: string, where = ''): Cp2kSettings => {
  const f = new Fields((raw ?? {}) as Raw, where, file);
  const base = cp2kPreset(f.str('preset', DEFAULT_CP2K_PRESET));
  const s: Cp2kSettings = {
    ...base,
    functional: f.str(KEYS.functional, base.functional),
    dispersion: f.str(KEYS.dispersion, base.dispersion, ['d3', 'd3bj', 'none'] as const),
    d3CutoffA: f.positive(KEYS.d3CutoffA, base.d3CutoffA, 'A'),
    basis: f.str(KEYS.basis, base.basis),
    potential: f.str(KEYS.potential, base.potential),
    basisFile: f.str(KEYS.basisFile, base.basisFile),
    potentialFile: f.str(KEYS.potentialFile, base.potentialFile),
    cutoffRy: f.positive(KEYS.cutoffRy, base.cutoffRy, 'Ry'),
    relCutoffRy: f.positive(KEYS.relCutoffRy, base.relCutoffRy, 'Ry'),
    ngrids: f.whole(KEYS.ngrids, base.ngrids, 1),
    epsScf: f.positive(KEYS.epsScf, base.epsScf, 'CP2K EPS_SCF'),
    epsDefault: f.positive(KEYS.epsDefault, base.epsDefault, 'CP2K EPS_DEFAULT'),
    maxScf: f.whole(KEYS.maxScf, base.maxScf, 1),
    maxOuterScf: f.whole(KEYS.maxOuterScf, base.maxOuterScf, 1),
    scf: f.str(KEYS.scf, base.scf, ['ot', 'diagonalization'] as const),
    preconditioner: f.str(KEYS.preconditioner, base.preconditioner, [
      'FULL_SINGLE_INVERSE',
      'FULL_ALL',
      'FULL_KINETIC',
    ] as const),
    smearingK: f.positive(KEYS.smearingK, base.smearingK, 'K'),
    addedMos: f.whole(KEYS.addedMos, base.addedMos, 0),
    charge: f.num(KEYS.charge, base.charge, Number.isInteger, 'a whole charge (e)'),
  };
  f.done();
  return s;
};

/** Settings from a TOML/JSON file (see cp2kSettingsFromObject). */
export const readCp2kSettings = (path: string): Cp2kSettings =>
  cp2kSettingsFromObject(readSettingsFile(path, 'CP2K settings'), path);

/** The settings as a snake_case table (for provenance and settings files). */
export const cp2kSettingsTable = (s: Cp2kSettings): Record<string, string | number> => {
  const out: Record<string, string | number> = { preset: s.preset };
  for (const [k, key] of Object.entries(KEYS)) out[key] = s[k as keyof typeof KEYS];
  return out;
};
