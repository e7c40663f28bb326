import { OptionError } from '../../core/errors.js';
import type { CellParameters } from '../../core/lattice.js';
import {
  type CrystalPhase,
  type PdfPhase,
  type ProfilePhase,
  phaseAtomCount,
  type Radiation,
  scatteringFactor,
} from './pdf-phase.js';
import { applyQmaxCutoff, terminationExtension } from './pdf-termination.js';

// G(r) of a mixture of phases with PDFfit2's model, term for term (libpdffit2 pdf.cc
// DataSet::determine; /work/shared/SCATTERING.md section 1):
//   weights w_i = f_i / <f> (f = Z for X-rays, b for neutrons), pairs i <= j over all lattice
//   translations within [max(0.1, rcmin - 1), rcmax + 1] A with amplitude o_i w_i o_j w_j (doubled
//   for i != j), Gaussian width sigma = sqrt(n^T (U_i + U_j) n) sqrt(1 - delta1/r - delta2/r^2 +
//   Qbroad^2 r^2) (pair skipped when the bracket is <= 0; times sratio below rcut), evaluated on the
//   grid within +-5 sigma; G_p = sum / (N r) - 4 pi r rho0; envelopes exp(-(r Qdamp)^2 / 2), the
//   sphere 1 - 1.5 x + 0.5 x^3 (x = r / spdiameter) and the step cut; total = dscale sum_p pscale_p
//   G_p; Qmax termination of the total over the calculation range, which is the fit range extended
//   by 6 ripples (2 pi / Qmax each) on both sides, but not below the grid's first point.
//
// Pairs with the same distance and width (symmetry equivalents) are summed into one Gaussian
// before it is evaluated: the same numbers as PDFfit2's pair-by-pair sum to rounding, many times
// faster for a crystal.

/** What the data set contributes to the model (PDFfit2 DataSet). */
export interface PdfDataModel {
  radiation: Radiation;
  /** Q cut-off of the data (1/A); 0 = no termination. */
  qmax: number;
  /** Q-resolution damping (1/A). */
  qdamp: number;
  /** Q-resolution peak broadening (1/A). */
  qbroad: number;
  dscale: number;
}

/**
 * The r grid: points rmin + i rstep (A), i = 0, 1, ... (the data's grid, or a calculation grid), and
 * the fit (output) range as grid indices nfmin..nfmax. The calculation may extend past nfmax.
 */
export interface PdfGrid {
  rmin: number;
  rstep: number;
  nfmin: number;
  nfmax: number;
}

/** The total and per-phase G(r) on the fit range. */
export interface PdfCalculation {
  /** r of the fit range (A). */
  r: Float64Array;
  /** Total G(r) (A^-2), terminated when Qmax > 0. */
  g: Float64Array;
  /** Each phase's contribution dscale pscale G_p with its envelopes, before termination. */
  phases: Float64Array[];
}

/** PDFfit2's nint: round half away from zero. */
const nint = (x: number): number => Math.trunc(x + (x >= 0 ? 0.5 : -0.5));

/** Metric tensor, volume and reciprocal lengths of a cell (PDFfit2 Phase::lattice). */
export const cellMetric = (c: CellParameters) => {
  const rad = Math.PI / 180;
  const [ca, cb, cg] = [c.alpha, c.beta, c.gamma].map((x) => Math.cos(x * rad));
  const [sa, sb, sg] = [c.alpha, c.beta, c.gamma].map((x) => Math.sin(x * rad));
  const voll = 1 - ca * ca - cb * cb - cg * cg + 2 * ca * cb * cg;
  if (!(voll > 1e-15) || !(c.a > 0 && c.b > 0 && c.c > 0))
    throw new OptionError(
      `the cell (${c.a}, ${c.b}, ${c.c}, ${c.alpha}, ${c.beta}, ${c.gamma}) has no positive volume`,
    );
  const volume = Math.sqrt(voll) * c.a * c.b * c.c;
  const g = [
    c.a * c.a,
    c.a * c.b * cg,
    c.a * c.c * cb,
    c.a * c.b * cg,
    c.b * c.b,
    c.b * c.c * ca,
    c.a * c.c * cb,
    c.b * c.c * ca,
    c.c * c.c,
  ];
  const ar = [(c.b * c.c * sa) / volume, (c.a * c.c * sb) / volume, (c.a * c.b * sg) / volume];
  return { g, volume, ar };
};

/** Number density rho0 = N / V (atoms/A^3) of a crystal phase. */
export const numberDensity = (p: CrystalPhase): number => phaseAtomCount(p) / cellMetric(p.cell).volume;

/** The spherical particle envelope 1 - 1.5 x + 0.5 x^3, x = r / d < 1, else 0 (PDFfit2 ShapeFactors.h). */
export const sphereEnvelope = (r: number, d: number): number => {
  const x = r / d;
  return x < 1 ? 1 - 1.5 * x + 0.5 * x * x * x : 0;
};

/**
 * sum_pairs / (N r) - 4 pi r rho0 of a crystal phase on grid points ncmin..ncmax (entries below
 * ncmin are 0): PDFfit2's pair sum, before envelopes and scales.
 */
export const crystalPairSum = (
  ph: CrystalPhase,
  radiation: Radiation,
  qbroad: number,
  rmin: number,
  dr: number,
  ncmin: number,
  ncmax: number,
): Float64Array => {
  const out = new Float64Array(ncmax + 1);
  const natoms = ph.atoms.length;
  if (natoms === 0) throw new OptionError(`phase ${ph.name} has no atoms`);
  const np = phaseAtomCount(ph);
  if (!(np > 0)) throw new OptionError(`phase ${ph.name} has no atoms (total occupancy 0)`);
  const { g, volume, ar } = cellMetric(ph.cell);
  const rho0 = np / volume;
  const f = ph.atoms.map((a) => scatteringFactor(a.element, radiation));
  const fbar = ph.atoms.reduce((s, a, i) => s + a.occupancy * f[i], 0) / np;
  if (fbar === 0) throw new OptionError(`phase ${ph.name}: the mean scattering factor is 0`);
  const w = f.map((x) => x / fbar);
  const rcmin = rmin + ncmin * dr;
  const rcmax = rmin + ncmax * dr;
  const rmax2 = (rcmax + 1) ** 2;
  const rmin2 = Math.max(0.01, (rcmin - 1) ** 2 * (rcmin - 1 < 0 ? -1 : 1));
  const rmaxPair = Math.sqrt(rmax2);
  const pos = ph.atoms.map((a) => a.xyz.map((x) => x - Math.floor(x)));
  const nmax = ar.map((x) => Math.ceil(rmaxPair * x) + 1);
  // Shells: distance key -> list of [dist, sigma, amplitude].
  const shells = new Map<number, number[]>();
  const delta1 = ph.delta1;
  const delta2 = ph.delta2;
  const qb2 = qbroad * qbroad;
  const [g00, g01, g02, , g11, g12, , , g22] = g;
  const un = [0, 0, 0, 0, 0, 0];
  for (let i = 0; i < natoms; i++) {
    const ai = ph.atoms[i];
    for (let j = i; j < natoms; j++) {
      const aj = ph.atoms[j];
      const ampl = ai.occupancy * w[i] * aj.occupancy * w[j] * (i === j ? 1 : 2);
      if (ampl === 0) continue;
      // Un = ar_i ar_j (U_i + U_j)^ij
      un[0] = (ai.u[0] + aj.u[0]) * ar[0] * ar[0];
      un[1] = (ai.u[1] + aj.u[1]) * ar[1] * ar[1];
      un[2] = (ai.u[2] + aj.u[2]) * ar[2] * ar[2];
      un[3] = (ai.u[3] + aj.u[3]) * ar[0] * ar[1];
      un[4] = (ai.u[4] + aj.u[4]) * ar[0] * ar[2];
      un[5] = (ai.u[5] + aj.u[5]) * ar[1] * ar[2];
      const b0 = pos[i][0] - pos[j][0];
      const b1 = pos[i][1] - pos[j][1];
      const b2 = pos[i][2] - pos[j][2];
      for (let n0 = -nmax[0]; n0 <= nmax[0]; n0++) {
        const d0 = b0 - n0;
        for (let n1 = -nmax[1]; n1 <= nmax[1]; n1++) {
          const d1 = b1 - n1;
          for (let n2 = -nmax[2]; n2 <= nmax[2]; n2++) {
            const d2 = b2 - n2;
            // covariant components G d
            const c0 = g00 * d0 + g01 * d1 + g02 * d2;
            const c1 = g01 * d0 + g11 * d1 + g12 * d2;
            const c2 = g02 * d0 + g12 * d1 + g22 * d2;
            const dist2 = d0 * c0 + d1 * c1 + d2 * c2;
            if (dist2 < rmin2 || dist2 > rmax2) continue;
            // msd along the pair: rhs = G d / |d|, msd = rhs^T Un rhs (PDFfit2 Phase::msdAtoms)
            const msd =
              (un[0] * c0 * c0 +
                un[1] * c1 * c1 +
                un[2] * c2 * c2 +
                2 * (un[3] * c0 * c1 + un[4] * c0 * c2 + un[5] * c1 * c2)) /
              dist2;
            if (!(msd > 0)) continue;
            const dist = Math.sqrt(dist2);
            const corfact = 1 - delta2 / dist2 - delta1 / dist + qb2 * dist2;
            if (corfact <= 0) continue;
            let sigma = Math.sqrt(msd * corfact);
            if (dist < ph.rcut) sigma *= ph.sratio;
            const key = Math.round(dist * 1e8);
            let list = shells.get(key);
            if (!list) {
              list = [];
              shells.set(key, list);
            }
            let k = 0;
            for (; k < list.length; k += 3) if (Math.abs(list[k + 1] - sigma) <= 1e-12 * sigma) break;
            if (k < list.length) list[k + 2] += ampl;
            else list.push(dist, sigma, ampl);
          }
        }
      }
    }
  }
  const ppp = out;
  const norm = 1 / Math.sqrt(2 * Math.PI);
  for (const list of shells.values())
    for (let k = 0; k < list.length; k += 3) {
      const dist = list[k];
      const sigma = list[k + 1];
      const a = (list[k + 2] * norm) / sigma;
      const rb = Math.max(rcmin, dist - 5 * sigma);
      const re = Math.min(rcmax, dist + 5 * sigma);
      if (ph.stepcut > 0 && Math.min(re, ph.stepcut) < rb) continue;
      const ib = nint((rb - rmin) / dr);
      const ie = nint(((ph.stepcut > 0 ? Math.min(re, ph.stepcut) : re) - rmin) / dr);
      // exp(-rg^2 / 2 sigma^2) on the uniform grid by the recurrence g_{k+1} = g_k q_k,
      // q_{k+1} = q_k c (c = exp(-dr^2 / sigma^2)): three exponentials per Gaussian, not one per point.
      const inv = -0.5 / (sigma * sigma);
      const rg0 = rmin + ib * dr - dist;
      let gk = a * Math.exp(inv * rg0 * rg0);
      let q = Math.exp(inv * (2 * rg0 * dr + dr * dr));
      const c = Math.exp(2 * inv * dr * dr);
      for (let ig = ib; ig <= ie; ig++) {
        ppp[ig] += gk;
        gk *= q;
        q *= c;
      }
    }
  for (let i = ncmin; i <= ncmax; i++) {
    const r = rmin + i * dr;
    out[i] = r > 0 ? ppp[i] / np / r - 4 * Math.PI * r * rho0 : 0;
  }
  return out;
};

/** A profile phase's G(r) on grid points ncmin..ncmax, linearly interpolated. */
export const profileOnGrid = (
  ph: ProfilePhase,
  rmin: number,
  dr: number,
  ncmin: number,
  ncmax: number,
): Float64Array => {
  const out = new Float64Array(ncmax + 1);
  const n = ph.r.length;
  const lo = ph.r[0];
  const hi = ph.r[n - 1];
  const r0 = rmin + ncmin * dr;
  const r1 = rmin + ncmax * dr;
  if (n < 2 || r0 < lo - 1e-9 || r1 > hi + 1e-9)
    throw new OptionError(
      `phase ${ph.name}: its G(r) covers ${lo}..${hi} A but the calculation needs ${r0.toFixed(4)}..${r1.toFixed(4)} A (the fit range plus the termination ripples)`,
    );
  const step = (hi - lo) / (n - 1);
  for (let i = ncmin; i <= ncmax; i++) {
    const x = (rmin + i * dr - lo) / step;
    const k = Math.min(n - 2, Math.max(0, Math.floor(x)));
    const t = x - k;
    out[i] = ph.g[k] * (1 - t) + ph.g[k + 1] * t;
  }
  return out;
};

/** Memo of phase pair sums by everything they depend on (the refinement reuses them). */
export class PairSumCache {
  private readonly map = new Map<string, Float64Array>();
  constructor(private readonly capacity = 64) {}
  get(
    ph: CrystalPhase,
    radiation: Radiation,
    qbroad: number,
    rmin: number,
    dr: number,
    ncmin: number,
    ncmax: number,
  ) {
    const key = JSON.stringify([
      ph.cell,
      ph.atoms,
      ph.delta1,
      ph.delta2,
      ph.sratio,
      ph.rcut,
      ph.stepcut,
      radiation,
      qbroad,
      rmin,
      dr,
      ncmin,
      ncmax,
    ]);
    let v = this.map.get(key);
    if (!v) {
      v = crystalPairSum(ph, radiation, qbroad, rmin, dr, ncmin, ncmax);
      if (this.map.size >= this.capacity) this.map.delete(this.map.keys().next().value as string);
      this.map.set(key, v);
    }
    return v;
  }
}

/** Calculation range ncmin..ncmax of PDFfit2 (DataSet::extendCalculationRange). */
export const calculationRange = (grid: PdfGrid, qmax: number): { ncmin: number; ncmax: number } => {
  const rfmin = grid.rmin + grid.nfmin * grid.rstep;
  const rfmax = grid.rmin + grid.nfmax * grid.rstep;
  const rext = terminationExtension(qmax);
  if (rext === 0) return { ncmin: grid.nfmin, ncmax: grid.nfmax };
  const rcmin = Math.max(grid.rmin, rfmin - rext);
  const rcmax = rfmax + rext;
  return { ncmin: nint((rcmin - grid.rmin) / grid.rstep), ncmax: nint((rcmax - grid.rmin) / grid.rstep) };
};

/** G(r) of the phases for one data set on its grid (see the file comment). */
export const calculatePdf = (
  phases: readonly PdfPhase[],
  data: PdfDataModel,
  grid: PdfGrid,
  cache?: PairSumCache,
): PdfCalculation => {
  if (phases.length === 0) throw new OptionError('no phases to calculate');
  if (!(grid.rstep > 0)) throw new OptionError('the r step must be positive', { option: 'rstep' });
  if (grid.nfmax < grid.nfmin || grid.nfmin < 0)
    throw new OptionError('the r range is empty', { option: 'rmax' });
  const { ncmin, ncmax } = calculationRange(grid, data.qmax);
  const { rmin, rstep: dr } = grid;
  const total = new Float64Array(ncmax + 1);
  const parts: Float64Array[] = [];
  for (const ph of phases) {
    const raw =
      ph.kind === 'crystal'
        ? cache
          ? cache.get(ph, data.radiation, data.qbroad, rmin, dr, ncmin, ncmax)
          : crystalPairSum(ph, data.radiation, data.qbroad, rmin, dr, ncmin, ncmax)
        : profileOnGrid(ph, rmin, dr, ncmin, ncmax);
    const part = new Float64Array(ncmax + 1);
    const stepcut = ph.kind === 'crystal' ? ph.stepcut : 0;
    for (let i = ncmin; i <= ncmax; i++) {
      const r = rmin + i * dr;
      let v = raw[i];
      if (data.qdamp > 0) v *= Math.exp(-((r * data.qdamp) ** 2) / 2);
      if (ph.spdiameter > 0) v *= sphereEnvelope(r, ph.spdiameter);
      if (stepcut > 0 && r > stepcut) v = 0;
      part[i] = data.dscale * ph.pscale * v;
      total[i] += part[i];
    }
    parts.push(part);
  }
  if (data.qmax > 0) applyQmaxCutoff(total, ncmin, ncmax - ncmin + 1, dr, data.qmax);
  const n = grid.nfmax - grid.nfmin + 1;
  const r = Float64Array.from({ length: n }, (_, k) => rmin + (grid.nfmin + k) * dr);
  return {
    r,
    g: total.slice(grid.nfmin, grid.nfmax + 1),
    phases: parts.map((p) => p.slice(grid.nfmin, grid.nfmax + 1)),
  };
};

/**
 * The grid of a calculation without data (PDFfit2 alloc): rmin..rmax in steps of rstep, all of it
 * the output range.
 */
export const calculationGrid = (rmin: number, rmax: number, rstep: number): PdfGrid => {
  if (!(rstep > 0)) throw new OptionError('the r step must be positive', { option: 'rstep' });
  if (!(rmin >= 0)) throw new OptionError('rmin must be >= 0', { option: 'rmin' });
  if (!(rmax > rmin)) throw new OptionError('rmax must be greater than rmin', { option: 'rmax' });
  const n = Math.round((rmax - rmin) / rstep);
  return { rmin, rstep, nfmin: 0, nfmax: n };
};
