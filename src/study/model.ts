import { mixFromComposition, parseMix } from '../builders/mix.js';
import { packGlass } from '../builders/pack-glass.js';
import { supercell } from '../builders/supercell.js';
import { OptionError } from '../core/errors.js';
import type { Structure } from '../core/frame.js';
import type { StudySpec } from './spec.js';

/** The model of a study (deterministic: the same file gives the same structure). */
export const buildStudyModel = (spec: StudySpec, seed = spec.model.seed): Structure => {
  const model = { ...spec.model, seed };
  if (!['Li', 'Na', 'K'].includes(model.cation))
    throw new OptionError(`${spec.file}: [model] cation "${model.cation}" is not Li, Na or K`);
  let units: ReturnType<typeof parseMix>;
  let cations: { element: string; count: number }[];
  if (model.composition) {
    const m = mixFromComposition(model.composition, model.trimers, { seed: model.seed });
    units = m.units;
    cations = m.cations;
  } else {
    units = parseMix(model.mix!, { seed: model.seed });
    const charge = units.reduce((s, u) => s + u.molecule.charge * u.count, 0);
    cations = charge < 0 ? [{ element: model.cation, count: -charge }] : [];
  }
  const packed = packGlass({
    units: units.map((u) => ({ molecule: u.molecule, count: u.count })),
    cations,
    density: model.density,
    seed: model.seed,
  });
  return model.supercell.every((k) => k === 1) ? packed : supercell(packed, model.supercell);
};
