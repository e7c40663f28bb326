/** Random walks with a known D for the transport tests (calibration of intervals, straightness note). */
import { DisplacementRecorder } from '../../src/analysis/transport/displacements.js';
import { Lattice } from '../../src/core/lattice.js';
import { seededGaussian } from '../helpers.js';

/**
 * N diffusing atoms (steps of sigma per axis per frame, seen with independent vibrational offsets
 * of `vibration` A per axis) and F framework atoms that drift together. With `cage`, each diffusing
 * atom is reflected back into +-cage A (per axis) of its start: caged, sub-diffusive motion. With
 * `sigmaLate`, the steps change to that size from frame T/2 on (D changes halfway).
 */
export const walk = (
  seed: number,
  N: number,
  F: number,
  T: number,
  sigma: number,
  driftPerFrame: number,
  vibration: number,
  cage = Number.POSITIVE_INFINITY,
  sigmaLate = sigma,
) => {
  const gauss = seededGaussian(seed);
  const L = Lattice.cubic(12);
  const rec = new DisplacementRecorder(N + F, { selected: Array.from({ length: N }, (_, i) => i) });
  const pos = new Float64Array(3 * (N + F));
  for (let i = 0; i < pos.length; i++) pos[i] = (12 * Math.abs(gauss())) % 12;
  const home = pos.slice();
  let drift = 0;
  for (let t = 0; t < T; t++) {
    if (t > 0) drift += driftPerFrame;
    const s = 2 * t >= T ? sigmaLate : sigma;
    if (t > 0)
      for (let i = 0; i < N + F; i++)
        for (let a = 0; a < 3; a++) {
          // Every atom shares the drift; the framework only vibrates about its drifting sites.
          const step = i < N ? s * gauss() : 0.02 * gauss() * (t % 2 === 0 ? 1 : -1);
          pos[3 * i + a] += step + driftPerFrame;
          const k = 3 * i + a;
          const u = pos[k] - home[k] - drift;
          if (i < N && Math.abs(u) > cage) pos[k] -= 2 * (u - Math.sign(u) * cage);
        }
    // Vibration on the diffusing atoms only; wrapped into the cell, so the recorder has to unwrap.
    const seen = pos.map((x, k) => (k < 3 * N ? x + vibration * gauss() : x));
    rec.push({ positions: seen.map((x) => x - 12 * Math.floor(x / 12)), lattice: L });
  }
  return rec.result();
};
