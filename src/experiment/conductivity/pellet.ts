import { OptionError } from '../../core/errors.js';
import { Z95 } from '../../core/statistics.js';

/** A pellet between two electrodes: thickness and diameter (or area), each with an uncertainty. */
export interface Pellet {
  thicknessMm: number;
  thicknessStdMm?: number;
  diameterMm?: number;
  diameterStdMm?: number;
  /** Electrode area (cm^2) instead of a diameter. */
  areaCm2?: number;
  areaStdCm2?: number;
}

/** sigma with its standard deviation and 95 % interval (normal, first-order propagation). */
export interface Conductivity {
  sCm: number;
  stdSCm: number;
  low95SCm: number;
  high95SCm: number;
  /** The pellet's cell constant L / A (cm^-1) and its relative standard deviation. */
  cellConstantPerCm: number;
  cellConstantRelStd: number;
}

const positive = (v: number | undefined, option: string, what: string) => {
  if (v === undefined) return;
  if (!(v > 0) || !Number.isFinite(v))
    throw new OptionError(`${what} must be positive, got ${v}`, { option });
};
const nonNegative = (v: number | undefined, option: string, what: string) => {
  if (v === undefined) return;
  if (!(v >= 0) || !Number.isFinite(v))
    throw new OptionError(`${what} must be 0 or more, got ${v}`, { option });
};

/** L / A in cm^-1 with its relative standard deviation, sqrt((sL/L)^2 + (2 sd/d)^2) (or sA/A). */
export const cellConstant = (p: Pellet): { perCm: number; relStd: number } => {
  positive(p.thicknessMm, 'thicknessMm', 'the pellet thickness (mm)');
  nonNegative(p.thicknessStdMm, 'thicknessStdMm', 'the thickness uncertainty (mm)');
  if ((p.diameterMm === undefined) === (p.areaCm2 === undefined))
    throw new OptionError('give the electrode diameter or the area, one of the two', {
      option: 'diameterMm',
    });
  positive(p.diameterMm, 'diameterMm', 'the pellet diameter (mm)');
  nonNegative(p.diameterStdMm, 'diameterStdMm', 'the diameter uncertainty (mm)');
  positive(p.areaCm2, 'areaCm2', 'the electrode area (cm^2)');
  nonNegative(p.areaStdCm2, 'areaStdCm2', 'the area uncertainty (cm^2)');
  const lCm = p.thicknessMm / 10;
  const relL = (p.thicknessStdMm ?? 0) / p.thicknessMm;
  let aCm2: number;
  let relA: number;
  if (p.diameterMm !== undefined) {
    const dCm = p.diameterMm / 10;
    aCm2 = (Math.PI * dCm * dCm) / 4;
    relA = (2 * (p.diameterStdMm ?? 0)) / p.diameterMm;
  } else {
    aCm2 = p.areaCm2 as number;
    relA = (p.areaStdCm2 ?? 0) / aCm2;
  }
  return { perCm: lCm / aCm2, relStd: Math.hypot(relL, relA) };
};

/**
 * sigma = L / (R A) (S/cm), its relative standard deviation the quadrature sum of those of R, L
 * and A (first order), and the interval sigma +- 1.96 sd.
 */
export const conductivity = (
  resistanceOhm: number,
  resistanceStdOhm: number,
  pellet: Pellet,
): Conductivity => {
  if (!(resistanceOhm > 0))
    throw new OptionError(`the bulk resistance must be positive, got ${resistanceOhm} ohm`, {
      option: 'bulk',
    });
  const cc = cellConstant(pellet);
  const s = cc.perCm / resistanceOhm;
  const rel = Math.hypot(
    cc.relStd,
    (Number.isFinite(resistanceStdOhm) ? resistanceStdOhm : 0) / resistanceOhm,
  );
  const std = s * rel;
  return {
    sCm: s,
    stdSCm: std,
    low95SCm: Math.max(0, s - Z95 * std),
    high95SCm: s + Z95 * std,
    cellConstantPerCm: cc.perCm,
    cellConstantRelStd: cc.relStd,
  };
};
