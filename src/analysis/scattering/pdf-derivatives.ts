import { OptionError } from '../../core/errors.js';
import {
  calculationRange,
  cellMetric,
  type PdfDataModel,
  type PdfGrid,
  sphereEnvelope,
} from './pdf-model.js';
import { type PdfPhase, phaseAtomCount, scatteringFactor } from './pdf-phase.js';
import { applyQmaxCutoff } from './pdf-termination.js';
import type { VariableRef } from './pdf-variables.js';

// PDFfit2's analytic derivatives of G(r) by its variables, term for term (libpdffit2 pdf.cc
// pdf_derivative and fit.cc fit_setup_derivatives), for a refinement that follows PDFfit2's path
// exactly (`derivatives: 'pdffit2'` in refinePdf). They are exact in orthogonal cells; in others
// PDFfit2 takes the derivatives of the pair width by U and by the cell lengths in the orthogonal
// form (d_k = a_k dx_k instead of the metric's components), so its refinement can stop short of
// the least-squares minimum there (docs/scattering.md, CdSe). Kept here as PDFfit2 has them, that
// being the point of this mode.

/** A variable whose derivative is wanted: its phase (or -1 for the data set) and reference. */
export interface DerivativeVariable {
  phase: number;
  ref: VariableRef;
}

const nint = (x: number): number => Math.trunc(x + (x >= 0 ? 0.5 : -0.5));
const RAD = Math.PI / 180;
const U_FIELDS = ['u11', 'u22', 'u33', 'u12', 'u13', 'u23'] as const;
const LAT_FIELDS = 6;

/**
 * dG/dvar on the fit range (one array per requested variable), G as calculatePdf gives it for the
 * same phases, data model and grid: PDFfit2's formulas, the Qmax cut applied to each column.
 */
export const pdffit2Derivatives = (
  phases: readonly PdfPhase[],
  data: PdfDataModel,
  grid: PdfGrid,
  variables: readonly DerivativeVariable[],
): Float64Array[] => {
  const { ncmin, ncmax } = calculationRange(grid, data.qmax);
  if (phases.length > 1 && variables.some((v) => v.ref.scope === 'data' && v.ref.field === 'qbroad'))
    throw new OptionError(
      'qbroad of a mixture has no PDFfit2-derivative form here; use the default derivatives',
    );
  const { rmin, rstep: dr } = grid;
  const cols = variables.map(() => new Float64Array(ncmax + 1));
  const pdftot = new Float64Array(ncmax + 1);
  const calcs: Float64Array[] = [];
  const rcmin = rmin + ncmin * dr;
  const rcmax = rmin + ncmax * dr;
  // Slots: per phase, index of the variable for lattice k, atom field, phase field.
  phases.forEach((ph, p) => {
    const mine = variables.map((v, k) => [v, k] as const).filter(([v]) => v.phase === p);
    const lat = new Array<number>(LAT_FIELDS).fill(-1);
    const atomSlot = new Map<string, number>();
    const phaseSlot = new Map<string, number>();
    for (const [v, k] of mine) {
      if (v.ref.scope === 'lattice') lat[v.ref.index] = k;
      else if (v.ref.scope === 'atom') atomSlot.set(`${v.ref.atom}:${v.ref.field}`, k);
      else if (v.ref.scope === 'phase') phaseSlot.set(v.ref.field, k);
    }
    const calc = new Float64Array(ncmax + 1);
    calcs.push(calc);
    if (ph.kind !== 'crystal') {
      if (
        mine.some(
          ([v]) => v.ref.scope !== 'phase' || (v.ref.field !== 'pscale' && v.ref.field !== 'spdiameter'),
        )
      )
        throw new OptionError(`phase ${ph.name}: only pscale and spdiameter can vary`);
      return;
    }
    const np = phaseAtomCount(ph);
    const { g, volume, ar } = cellMetric(ph.cell);
    const rho0 = np / volume;
    const f = ph.atoms.map((a) => scatteringFactor(a.element, data.radiation));
    const fbar = ph.atoms.reduce((s, a, i) => s + a.occupancy * f[i], 0) / np;
    const w = f.map((x) => x / fbar);
    const a0 = [ph.cell.a, ph.cell.b, ph.cell.c];
    const [cosa, cosb, cosg] = [ph.cell.alpha, ph.cell.beta, ph.cell.gamma].map((x) => Math.cos(x * RAD));
    const [sina, sinb, sing] = [ph.cell.alpha, ph.cell.beta, ph.cell.gamma].map((x) => Math.sin(x * RAD));
    const rmax2 = (rcmax + 1) ** 2;
    const rmin2 = Math.max(0.01, (rcmin - 1) ** 2 * (rcmin - 1 < 0 ? -1 : 1));
    const nmax = ar.map((x) => Math.ceil(Math.sqrt(rmax2) * x) + 1);
    const pos = ph.atoms.map((a) => a.xyz.map((x) => x - Math.floor(x)));
    const ppp = new Float64Array(ncmax + 1);
    const slot = (atom: number, field: string) => atomSlot.get(`${atom}:${field}`) ?? -1;
    const d2s = phaseSlot.get('delta2') ?? -1;
    const d1s = phaseSlot.get('delta1') ?? -1;
    const srs = phaseSlot.get('sratio') ?? -1;
    const qbs = variables.findIndex(
      (v) => v.phase === -1 && v.ref.scope === 'data' && v.ref.field === 'qbroad',
    );
    const qb = data.qbroad;
    const slots = new Int32Array(64);
    const ca = new Float64Array(64);
    const cb = new Float64Array(64);
    const cc_ = new Float64Array(64);
    for (let i = 0; i < ph.atoms.length; i++) {
      const ai = ph.atoms[i];
      const xi = ['x', 'y', 'z'].map((c) => slot(i, c));
      const ui = U_FIELDS.map((c) => slot(i, c));
      const oi = slot(i, 'occ');
      for (let j = i; j < ph.atoms.length; j++) {
        const aj = ph.atoms[j];
        const xj = ['x', 'y', 'z'].map((c) => slot(j, c));
        const uj = U_FIELDS.map((c) => slot(j, c));
        const oj = slot(j, 'occ');
        let ampl = ai.occupancy * w[i] * aj.occupancy * w[j];
        if (i !== j) ampl += ampl;
        const s = ai.u.map((u, k) => u + aj.u[k]);
        for (let n0 = -nmax[0]; n0 <= nmax[0]; n0++)
          for (let n1 = -nmax[1]; n1 <= nmax[1]; n1++)
            for (let n2 = -nmax[2]; n2 <= nmax[2]; n2++) {
              const e0 = pos[i][0] - pos[j][0] - n0;
              const e1 = pos[i][1] - pos[j][1] - n1;
              const e2 = pos[i][2] - pos[j][2] - n2;
              const c0 = g[0] * e0 + g[1] * e1 + g[2] * e2;
              const c1 = g[3] * e0 + g[4] * e1 + g[5] * e2;
              const c2 = g[6] * e0 + g[7] * e1 + g[8] * e2;
              const dist2 = e0 * c0 + e1 * c1 + e2 * c2;
              if (dist2 < rmin2 || dist2 > rmax2) continue;
              const dd = [e0, e1, e2];
              const c = [c0, c1, c2];
              const un = [
                s[0] * ar[0] * ar[0],
                s[1] * ar[1] * ar[1],
                s[2] * ar[2] * ar[2],
                s[3] * ar[0] * ar[1],
                s[4] * ar[0] * ar[2],
                s[5] * ar[1] * ar[2],
              ];
              const msd =
                (un[0] * c[0] * c[0] +
                  un[1] * c[1] * c[1] +
                  un[2] * c[2] * c[2] +
                  2 * (un[3] * c[0] * c[1] + un[4] * c[0] * c[2] + un[5] * c[1] * c[2])) /
                dist2;
              if (!(msd > 0)) continue;
              const sigmap = Math.sqrt(msd);
              const dist = Math.sqrt(dist2);
              const corfact = 1 - ph.delta2 / dist2 - ph.delta1 / dist + qb * qb * dist2;
              if (corfact <= 0) continue;
              let sigma = sigmap * Math.sqrt(corfact);
              if (dist < ph.rcut) sigma *= ph.sratio;
              const d = [dd[0] * a0[0], dd[1] * a0[1], dd[2] * a0[2]];
              const gnorm = 1 / (Math.sqrt(2 * Math.PI) * sigma);
              const rb = Math.max(rcmin, dist - 5 * sigma);
              const re = Math.min(rcmax, dist + 5 * sigma);
              const ib = nint((rb - rmin) / dr);
              const ie = nint((re - rmin) / dr);
              const inRcut = dist < ph.rcut;
              const phi = inRcut ? ph.sratio : 1;
              const dsdphi = inRcut ? sigma / phi : 0;
              const dsds2 = (phi * sigmap) ** 2 / (2 * sigma);
              const dsdsp = sigma / sigmap;
              const dsdr = dsds2 * ((2 * ph.delta2) / dist ** 3 + ph.delta1 / dist2 + 2 * qb * qb * dist);
              const dspdr = -sigmap / dist;
              const drdx = [
                (a0[0] / dist) * (d[0] + cosg * d[1] + cosb * d[2]),
                (a0[1] / dist) * (cosg * d[0] + d[1] + cosa * d[2]),
                (a0[2] / dist) * (cosb * d[0] + cosa * d[1] + d[2]),
              ];
              const dspdx = [
                (a0[0] * (d[0] * s[0] + d[1] * s[3] + d[2] * s[4])) / dist2 / sigmap,
                (a0[1] * (d[0] * s[3] + d[1] * s[1] + d[2] * s[5])) / dist2 / sigmap,
                (a0[2] * (d[0] * s[4] + d[1] * s[5] + d[2] * s[2])) / dist2 / sigmap,
              ];
              const drda = [0, 1, 2].map((k) => (drdx[k] / a0[k]) * (d[k] / a0[k]));
              const dspda = [0, 1, 2].map((k) => (dspdx[k] / a0[k]) * (d[k] / a0[k]));
              const drdang = [
                (-RAD * sina * d[1] * d[2]) / dist,
                (-RAD * sinb * d[0] * d[2]) / dist,
                (-RAD * sing * d[0] * d[1]) / dist,
              ];
              const dspdu = 1 / (2 * sigmap * dist2);
              const uterm = [
                d[0] * d[0],
                d[1] * d[1],
                d[2] * d[2],
                2 * d[0] * d[1],
                2 * d[0] * d[2],
                2 * d[1] * d[2],
              ];
              // Each derivative at a grid point is A dT/dsigma + B dT/dr + C T with per-pair A, B, C.
              let m = 0;
              const push = (k: number, a: number, b: number, cc: number) => {
                if (k < 0) return;
                slots[m] = k;
                ca[m] = a;
                cb[m] = b;
                cc_[m] = cc;
                m++;
              };
              for (let k = 0; k < 3; k++) {
                const a = dsdsp * (dspdr * drdx[k] + dspdx[k]) + dsdr * drdx[k];
                push(xi[k], a, drdx[k], 0);
                push(xj[k], -a, -drdx[k], 0);
              }
              for (let k = 0; k < 6; k++) {
                const a = dsdsp * dspdu * uterm[k];
                push(ui[k], a, 0, 0);
                push(uj[k], a, 0, 0);
              }
              push(oi, 0, 0, 1 / ai.occupancy);
              push(oj, 0, 0, 1 / aj.occupancy);
              for (let k = 0; k < 3; k++)
                push(lat[k], (dsdsp * dspdr + dsdr) * drda[k] + dsdsp * dspda[k], drda[k], 0);
              for (let k = 0; k < 3; k++) push(lat[3 + k], (dsdsp * dspdr + dsdr) * drdang[k], drdang[k], 0);
              push(d2s, -dsds2 / dist2, 0, 0);
              push(d1s, -dsds2 / dist, 0, 0);
              push(srs, dsdphi, 0, 0);
              push(qbs, dsds2 * 2 * qb * dist2, 0, 0);
              const inv = -0.5 / (sigma * sigma);
              for (let ig = ib; ig <= ie; ig++) {
                const rg = rmin + ig * dr - dist;
                const T = ampl * gnorm * Math.exp(inv * rg * rg);
                ppp[ig] += T;
                if (m === 0) continue;
                const rd = rg / sigma;
                const dTds = (T / sigma) * (rd * rd - 1);
                const dTdr = (rg / (sigma * sigma)) * T;
                for (let q = 0; q < m; q++) cols[slots[q]][ig] += ca[q] * dTds + cb[q] * dTdr + cc_[q] * T;
              }
            }
      }
    }
    // G of the phase with its envelopes (PDFfit2's calc[i][ip]) and the per-point scaling of the
    // derivatives (fit_setup_derivatives).
    const abcv = ((a0[0] * a0[1] * a0[2]) / volume) ** 2 * RAD;
    const ddrho = [sina * (cosa - cosb * cosg), sinb * (cosb - cosa * cosg), sing * (cosg - cosa * cosb)].map(
      (x) => abcv * x,
    );
    for (let ig = ncmin; ig <= ncmax; ig++) {
      const r = rmin + ig * dr;
      const bk = data.qdamp > 0 ? Math.exp(-((r * data.qdamp) ** 2) / 2) : 1;
      let shape = ph.spdiameter > 0 ? sphereEnvelope(r, ph.spdiameter) : 1;
      if (ph.stepcut > 0 && r > ph.stepcut) shape = 0;
      calc[ig] = (ppp[ig] / np / r - 4 * Math.PI * r * rho0) * bk * shape;
      pdftot[ig] += data.dscale * ph.pscale * calc[ig];
      const facp = ph.pscale * shape * data.dscale * bk;
      const facs = 1 / (np * r);
      const fac = facs * facp;
      for (const [v, k] of mine) {
        const ref = v.ref;
        if (ref.scope === 'atom') {
          if (ref.field === 'occ')
            throw new OptionError(
              'occupancy refinement is not in the PDFfit2-derivative mode; use the default derivatives',
            );
          cols[k][ig] *= fac;
        } else if (ref.scope === 'lattice') {
          const extra = ref.index < 3 ? 1 / a0[ref.index] : ddrho[ref.index - 3];
          cols[k][ig] = facp * (facs * cols[k][ig] + 4 * Math.PI * r * rho0 * extra);
        } else if (ref.scope === 'phase') {
          if (ref.field === 'pscale') cols[k][ig] = calc[ig] * data.dscale;
          else if (ref.field === 'spdiameter') {
            const x = r / ph.spdiameter;
            const dsph =
              ph.spdiameter > 0 && x < 1 ? (1.5 * x) / ph.spdiameter - (1.5 * x ** 3) / ph.spdiameter : 0;
            cols[k][ig] =
              ph.spdiameter > 0 ? (calc[ig] * data.dscale * ph.pscale * dsph) / (shape > 0 ? shape : 1) : 0;
          } else if (ref.field === 'rcut' || ref.field === 'stepcut')
            throw new OptionError(`${ref.field} has no derivative in PDFfit2; it cannot be refined`);
          else cols[k][ig] *= fac;
        }
      }
      if (qbs >= 0) cols[qbs][ig] *= fac;
    }
  });
  for (const [k, v] of variables.entries()) {
    if (v.phase !== -1) continue;
    if (v.ref.scope !== 'data') continue;
    for (let ig = ncmin; ig <= ncmax; ig++) {
      const r = rmin + ig * dr;
      if (v.ref.field === 'dscale') cols[k][ig] = pdftot[ig] / data.dscale;
      else if (v.ref.field === 'qdamp') cols[k][ig] = data.qdamp > 0 ? -r * r * data.qdamp * pdftot[ig] : 0;
    }
  }
  if (data.qmax > 0) for (const c of cols) applyQmaxCutoff(c, ncmin, ncmax - ncmin + 1, dr, data.qmax);
  return cols.map((c) => c.slice(grid.nfmin, grid.nfmax + 1));
};
