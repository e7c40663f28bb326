import { OptionError } from '../../core/errors.js';
import { cellConstant, type Pellet } from '../conductivity/pellet.js';

export interface TransferenceInput {
  /** Applied polarisation dV (V). */
  deltaV: number;
  /** Initial and steady-state currents (A). */
  initialA: number;
  steadyA: number;
  /** Bulk resistance (ohm), from the spectrum (Watanabe form). */
  bulkOhm: number;
  /** Interfacial resistance before polarisation and at steady state (ohm). */
  interfaceInitialOhm: number;
  interfaceSteadyOhm: number;
}

export interface TransferenceResult {
  /** Bruce-Vincent: t+ = I_ss (dV - I_0 R_0) / (I_0 (dV - I_ss R_ss)). */
  bruceVincent: number;
  /** The study's (Watanabe) form: t = I_ss R_b / (dV - I_ss R_int,ss). */
  watanabe: number;
  /** I_0 predicted from the spectrum, dV / (R_b + R_int,0), to compare with the measured I_0. */
  ohmicInitialA: number;
}

const positive = (v: number, option: string, what: string) => {
  if (!(v > 0) || !Number.isFinite(v))
    throw new OptionError(`${what} must be positive, got ${v}`, { option });
};

/**
 * The Li transference number of a symmetric Li | electrolyte | Li cell under a small constant dV
 * by two forms: Bruce and Vincent (J. Electroanal. Chem. 225, 1 (1987); Evans, Vincent, Bruce,
 * Polymer 28, 2324 (1987)) and the form the study uses (SCIENCE.md 5, after Watanabe et al.),
 * t = I_ss R_b / (dV - I_ss R_int,ss). Both give 1 for a single-ion conductor with stable
 * interfaces; a value above 1 or below 0 is reported as it is, not clipped.
 */
export const transferenceNumber = (x: TransferenceInput): TransferenceResult => {
  positive(x.deltaV, 'deltaV', 'the polarisation dV (V)');
  positive(x.initialA, 'initialA', 'the initial current (A)');
  positive(x.steadyA, 'steadyA', 'the steady-state current (A)');
  positive(x.bulkOhm, 'bulkOhm', 'the bulk resistance (ohm)');
  if (!(x.interfaceInitialOhm >= 0) || !(x.interfaceSteadyOhm >= 0))
    throw new OptionError('the interfacial resistances must be 0 or more', { option: 'interfaceInitialOhm' });
  const denSs = x.deltaV - x.steadyA * x.interfaceSteadyOhm;
  const num0 = x.deltaV - x.initialA * x.interfaceInitialOhm;
  if (!(denSs > 0))
    throw new OptionError(
      `dV - I_ss R_int,ss = ${denSs} V is not positive: the interfacial drop exceeds the applied dV (check the units of I and R)`,
      { option: 'interfaceSteadyOhm' },
    );
  return {
    bruceVincent: (x.steadyA * num0) / (x.initialA * denSs),
    watanabe: (x.steadyA * x.bulkOhm) / denSs,
    ohmicInitialA: x.deltaV / (x.bulkOhm + x.interfaceInitialOhm),
  };
};

/**
 * Electronic conductivity from a DC polarisation between ion-blocking electrodes (Hebb-Wagner):
 * at steady state only electrons carry current, sigma_e = I_ss L / (dV A) (S/cm).
 */
export const electronicConductivity = (steadyA: number, deltaV: number, pellet: Pellet): number => {
  positive(deltaV, 'deltaV', 'the polarisation dV (V)');
  if (!(steadyA >= 0))
    throw new OptionError(`the steady-state current must be 0 or more, got ${steadyA} A`, {
      option: 'steadyA',
    });
  return (steadyA * cellConstant(pellet).perCm) / deltaV;
};
