import { mixFromComposition, parseMix } from '../builders/mix.js';
import { MAX_PACK_ATOMS, PackTooLargeError, packGlass } from '../builders/pack-glass.js';
import { supercell } from '../builders/supercell.js';
import { OligolyteError, OptionError } from '../core/errors.js';
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
  let packed: Structure;
  try {
    packed = packGlass({
      units: units.map((u) => ({ molecule: u.molecule, count: u.count })),
      cations,
      density: model.density,
      seed: model.seed,
    });
  } catch (e) {
    // Too large to pack at once: the study file's way to build it by repetition.
    if (e instanceof PackTooLargeError && e.factor) {
      const k3 = e.factor ** 3;
      const base = model.composition
        ? `trimers = ${model.trimers / k3}`
        : `mix = "${model
            .mix!.split(',')
            .map((p) => p.split(':'))
            .map(([name, count]) => `${name.trim()}:${Number(count) / k3}`)
            .join(',')}"`;
      throw new OligolyteError(
        `${spec.file}: [model] ${e.natoms} atoms are too many to pack at once (at most ${MAX_PACK_ATOMS}); build the cell by repetition, as the study built its large cells: ${base} and supercell = [${e.factor}, ${e.factor}, ${e.factor}]`,
      );
    }
    throw e;
  }
  return model.supercell.every((k) => k === 1) ? packed : supercell(packed, model.supercell);
};
