import { OptionError } from '../../core/errors.js';
import { findSpaceGroup } from '../../core/spacegroups/lookup.js';
import type { PdfData } from '../../io/gr.js';
import { isotropicU } from '../../io/stru.js';
import { Formula } from './constraints.js';
import { levenbergMarquardt } from './levenberg-marquardt.js';
import { type DerivativeVariable, pdffit2Derivatives } from './pdf-derivatives.js';
import { calculatePdf, PairSumCache, type PdfDataModel, type PdfGrid } from './pdf-model.js';
import { type PdfPhase, type PhaseFractions, phaseFractions, type Radiation } from './pdf-phase.js';
import { getVariable, parseVariable, setVariable, type VariableRef } from './pdf-variables.js';

// Refinement of PDFfit2's model against PDF data, as PDFgui sets it up (diffpy.pdfgui
// control/fitting.py, fitdataset.py): numbered parameters @n, model variables given as formulas of
// them, each data set cut at the last data point below the fit start, Levenberg-Marquardt as
// PDFfit2 (levenberg-marquardt.ts), Rw = sqrt(sum w (Gobs - Gcalc)^2 / sum w Gobs^2) and reduced
// chi^2 = chi^2 / (points - free parameters), errors from the unscaled covariance (PDFfit2).
//
// Derivatives: central differences of the calculated G(r) in each free parameter. The phases'
// pair sums are memoised (PairSumCache), so a parameter that only scales or damps (dscale, pscale,
// Qdamp, spdiameter) costs the envelopes and the Qmax transform, not a new pair sum.

/** A numbered parameter (PDFgui's @n). */
export interface FitParameter {
  id: number;
  value: number;
  fixed?: boolean;
}

export interface FitPhaseSpec {
  phase: PdfPhase;
  /**
   * Variable -> formula: PDFfit2 names ("lat(1)", "u11(3)", "z(4)", "delta2", "pscale"); an atom
   * selector may also be an element ("u11(Ni)") or "all", and uiso(sel) sets the isotropic tensor
   * for the cell (isotropicU). With a cubic space group, lat(2) and lat(3) follow lat(1) unless
   * given; with a tetragonal, trigonal or hexagonal one, lat(2) does.
   */
  constraints: Record<string, string>;
}

export interface FitDataSpec {
  name: string;
  data: PdfData;
  radiation: Radiation;
  qmax: number;
  qdamp: number;
  qbroad: number;
  dscale: number;
  /** Fit range (A). */
  rmin: number;
  rmax: number;
  /** dscale, qdamp, qbroad -> formula. */
  constraints: Record<string, string>;
  /**
   * 'pdfgui' (default): the data are cut at the last point below rmin, as PDFgui hands them to
   * PDFfit2, so the Qmax termination sees nothing below the fit range. 'full': the whole data grid
   * (from its first r > 0) is PDFfit2's grid and rmin..rmax only the fit range, so the calculation
   * (and its termination) extends up to 6 ripples below rmin, as in PDFfit2 with pdfrange.
   */
  cut?: 'pdfgui' | 'full';
}

export interface PdfFitSpec {
  phases: FitPhaseSpec[];
  datasets: FitDataSpec[];
  parameters: FitParameter[];
  tolerance?: number;
  /**
   * 'numeric' (default): central differences, exact to rounding. 'pdffit2': PDFfit2's own analytic
   * derivatives (pdf-derivatives.ts), to follow its path exactly, including where its U and cell
   * derivatives are wrong (non-orthogonal cells).
   */
  derivatives?: 'numeric' | 'pdffit2';
  maxIterations?: number;
}

export interface FitVariableResult {
  /** Phase or data set the variable belongs to. */
  owner: string;
  name: string;
  value: number;
  sigma: number;
}

export interface FitDataResult {
  name: string;
  r: Float64Array;
  gobs: Float64Array;
  gcalc: Float64Array;
  gdiff: Float64Array;
  dgobs?: Float64Array;
  /** Each phase's part of gcalc (before termination). */
  phaseParts: Float64Array[];
  rw: number;
  chi2: number;
  points: number;
  data: PdfDataModel;
  /** Phase fractions when the data set has more than one phase. */
  fractions?: PhaseFractions;
}

export interface PdfFitResult {
  parameters: { id: number; value: number; sigma: number; fixed: boolean }[];
  /** Correlation matrix of the free parameters, in the order of freeIds. */
  correlations: number[][];
  freeIds: number[];
  variables: FitVariableResult[];
  rw: number;
  chi2: number;
  reducedChi2: number;
  points: number;
  iterations: number;
  converged: boolean;
  datasets: FitDataResult[];
  phases: PdfPhase[];
  /** Things the user should know (unit weights, a fit range moved off r = 0). */
  notes: string[];
}

/** A data set's fit grid, PDFgui's way: from the last point below rmin to the last point <= rmax. */
export const fitGrid = (
  data: PdfData,
  rmin: number,
  rmax: number,
  notes: string[] = [],
  cut: 'pdfgui' | 'full' = 'pdfgui',
): { grid: PdfGrid; from: number; to: number } => {
  const { r } = data;
  const n = r.length;
  if (!(rmax > rmin))
    throw new OptionError(`${data.file}: the fit range ${rmin}..${rmax} A is empty`, { option: 'rmax' });
  if (!(rmin > 0))
    throw new OptionError(
      `${data.file}: the fit range starts at r = ${rmin} A; G(r) is divided by r (PDFfit2 crashes there): start above 0, e.g. at ${r.find((x) => x > 0) ?? 'the first r > 0'} A`,
      { option: 'rmin' },
    );
  const tol = 1e-8 * data.rstep;
  if (rmax > r[n - 1] + tol)
    throw new OptionError(
      `${data.file}: the fit range ends at ${rmax} A, beyond the data's last point ${r[n - 1]} A`,
      { option: 'rmax' },
    );
  let from = 0;
  for (let i = 0; i < n && r[i] < rmin; i++) from = i;
  if (r[from] <= 0) {
    const first = r.findIndex((x) => x > 0);
    notes.push(
      `${data.file}: the point below the fit start is r = ${r[from]} A; the fit starts at the first r > 0 (${r[first]} A) instead`,
    );
    from = first;
  }
  let to = from;
  while (to + 1 < n && r[to + 1] <= rmax + tol) to++;
  if (to - from < 2)
    throw new OptionError(`${data.file}: fewer than 3 data points in ${rmin}..${rmax} A`, { option: 'rmin' });
  if (cut === 'full') {
    const origin = r.findIndex((x) => x > 0);
    const start = r.findIndex((x) => x >= rmin - tol);
    return {
      grid: { rmin: r[origin], rstep: data.rstep, nfmin: start - origin, nfmax: to - origin },
      from: start,
      to,
    };
  }
  return { grid: { rmin: r[from], rstep: data.rstep, nfmin: 0, nfmax: to - from }, from, to };
};

/** Space-group crystal family ties of the lattice: which of lat(2), lat(3) follow lat(1). */
const latticeTies = (spaceGroup: string | undefined): number[] => {
  if (!spaceGroup) return [];
  try {
    const n = findSpaceGroup({ hm: spaceGroup }).number;
    if (n >= 195) return [1, 2];
    if (n >= 75) return [1];
  } catch {
    // an unknown symbol: no automatic ties (the user gives every lattice constraint)
  }
  return [];
};

interface Target {
  /** Phase index, or -1 for the data set `dataset`. */
  phase: number;
  dataset: number;
  ref?: VariableRef;
  /** uiso of atom `atom`: the isotropic tensor for the cell. */
  uisoAtom?: number;
  name: string;
  formula: Formula;
}

const expandAtoms = (sel: string, phase: PdfPhase, where: string): number[] => {
  if (phase.kind !== 'crystal') throw new OptionError(`${where}: phase ${phase.name} has no atoms`);
  if (/^\d+$/.test(sel)) {
    const k = Number(sel);
    if (k < 1 || k > phase.atoms.length)
      throw new OptionError(`${where}: phase ${phase.name} has atoms 1..${phase.atoms.length}`);
    return [k - 1];
  }
  if (sel.toLowerCase() === 'all') return phase.atoms.map((_, i) => i);
  const idx = phase.atoms.flatMap((a, i) => (a.element.toLowerCase() === sel.toLowerCase() ? [i] : []));
  if (idx.length === 0)
    throw new OptionError(
      `${where}: phase ${phase.name} has no atom ${sel} (give an index 1..${phase.atoms.length}, an element or all)`,
    );
  return idx;
};

/** The targets of all constraints, expanded (selectors, uiso, space-group lattice ties). */
const buildTargets = (spec: PdfFitSpec): Target[] => {
  const out: Target[] = [];
  spec.phases.forEach((ps, p) => {
    const entries = Object.entries(ps.constraints);
    const given = new Set(entries.map(([k]) => k.replace(/\s+/g, '').toLowerCase()));
    const lat1 = entries.find(([k]) => k.replace(/\s+/g, '').toLowerCase() === 'lat(1)');
    if (lat1 && ps.phase.kind === 'crystal')
      for (const k of latticeTies(ps.phase.spaceGroup))
        if (!given.has(`lat(${k + 1})`)) entries.push([`lat(${k + 1})`, lat1[1]]);
    for (const [name, text] of entries) {
      const where = `phase ${ps.phase.name}: ${name}`;
      const formula = Formula.parse(text, where);
      const m = /^(\w+)\(([^)]+)\)$/.exec(name.replace(/\s+/g, ''));
      if ((m && !/^\d+$/.test(m[2])) || m?.[1].toLowerCase() === 'uiso') {
        const atoms = expandAtoms(m![2], ps.phase, where);
        for (const a of atoms) {
          if (m![1].toLowerCase() === 'uiso')
            out.push({ phase: p, dataset: -1, uisoAtom: a, name: `uiso(${a + 1})`, formula });
          else {
            const n = `${m![1]}(${a + 1})`;
            out.push({ phase: p, dataset: -1, ref: parseVariable(n, ps.phase), name: n, formula });
          }
        }
      } else out.push({ phase: p, dataset: -1, ref: parseVariable(name, ps.phase), name, formula });
    }
  });
  spec.datasets.forEach((ds, d) => {
    for (const [name, text] of Object.entries(ds.constraints)) {
      const ref = parseVariable(name, undefined);
      out.push({
        phase: -1,
        dataset: d,
        ref,
        name,
        formula: Formula.parse(text, `data ${ds.name}: ${name}`),
      });
    }
  });
  // uiso last: it needs the cell the lattice constraints set.
  return [...out.filter((t) => t.uisoAtom === undefined), ...out.filter((t) => t.uisoAtom !== undefined)];
};

/** Refine the model against the data (see the file comment). */
export const refinePdf = (
  spec: PdfFitSpec,
  options: {
    onIteration?: (iteration: number, chi2: number) => void;
    /** false: only evaluate the model at the starting values (Rw, curves; no errors). */
    refine?: boolean;
  } = {},
): PdfFitResult => {
  if (spec.phases.length === 0) throw new OptionError('the fit has no phases');
  if (spec.datasets.length === 0) throw new OptionError('the fit has no data sets');
  for (const ps of spec.phases)
    if (ps.phase.kind === 'crystal' && ps.phase.atoms.length === 0)
      throw new OptionError(`phase ${ps.phase.name} has no atoms`);
  const notes: string[] = [];
  const ids = new Set<number>();
  for (const p of spec.parameters) {
    if (ids.has(p.id)) throw new OptionError(`parameter @${p.id} is defined twice`);
    if (!Number.isFinite(p.value)) throw new OptionError(`parameter @${p.id} has no finite value`);
    ids.add(p.id);
  }
  const phases = spec.phases.map((p) => structuredClone(p.phase));
  const models: PdfDataModel[] = spec.datasets.map((d) => ({
    radiation: d.radiation,
    qmax: d.qmax,
    qdamp: d.qdamp,
    qbroad: d.qbroad,
    dscale: d.dscale,
  }));
  const grids = spec.datasets.map((d) => {
    if (d.data.meta.qmax !== undefined && d.qmax > 0 && d.qmax < d.data.meta.qmax - 1e-9)
      throw new OptionError(
        `${d.data.file}: the data were made with Qmax = ${d.data.meta.qmax} 1/A (its header) but the fit terminates at ${d.qmax}: the model's ripples would not match the data's; use qmax = ${d.data.meta.qmax}`,
        { option: 'qmax' },
      );
    if (d.data.weightNote) notes.push(d.data.weightNote);
    return fitGrid(d.data, d.rmin, d.rmax, notes, d.cut);
  });
  const targets = buildTargets(spec);
  const used = new Set(targets.flatMap((t) => t.formula.parameters));
  const values = new Map(spec.parameters.map((p) => [p.id, p.value]));
  for (const t of targets)
    for (const id of t.formula.parameters)
      if (!values.has(id))
        throw new OptionError(
          `constraint ${t.name} = "${t.formula.text}" names parameter @${id}, which is not defined`,
        );
  const free = options.refine === false ? [] : spec.parameters.filter((p) => !p.fixed).map((p) => p.id);
  for (const id of free)
    if (!used.has(id))
      throw new OptionError(`parameter @${id} is free but no constraint uses it: fix it or use it`);

  const apply = (p: Map<number, number>): void => {
    for (const t of targets) {
      const v = t.formula.evaluate(p, t.name).value;
      if (t.uisoAtom !== undefined) {
        const ph = phases[t.phase];
        if (ph.kind === 'crystal') ph.atoms[t.uisoAtom].u = isotropicU(v, ph.cell);
      } else
        setVariable(t.ref!, t.phase >= 0 ? phases[t.phase] : undefined, models[t.dataset] ?? models[0], v);
    }
  };
  const cache = new PairSumCache(4 * (phases.length + 1) * (free.length + 1));
  const obs = spec.datasets.map((d, k) => d.data.g.slice(grids[k].from, grids[k].to + 1));
  const sw = spec.datasets.map((d, k) => d.data.weights.slice(grids[k].from, grids[k].to + 1).map(Math.sqrt));
  const total = obs.reduce((s, o) => s + o.length, 0);
  const calcAll = (p: Map<number, number>) => {
    apply(p);
    return grids.map((g, k) => calculatePdf(phases, models[k], g.grid, cache));
  };
  const weightedCalc = (p: Map<number, number>): Float64Array => {
    const out = new Float64Array(total);
    let o = 0;
    calcAll(p).forEach((c, k) => {
      for (let i = 0; i < c.g.length; i++) out[o + i] = sw[k][i] * c.g[i];
      o += c.g.length;
    });
    return out;
  };
  const obsW = new Float64Array(total);
  {
    let o = 0;
    obs.forEach((ob, k) => {
      for (let i = 0; i < ob.length; i++) obsW[o + i] = sw[k][i] * ob[i];
      o += ob.length;
    });
  }
  const toMap = (x: Float64Array): Map<number, number> => {
    const m = new Map(values);
    free.forEach((id, j) => {
      m.set(id, x[j]);
    });
    return m;
  };
  // PDFfit2's analytic Jacobian: dG/dvariable for every constrained variable, chained through
  // the formulas' gradients (PDFfit2's fit_b = fit_a dvdp).
  const pdffit2Jacobian = (x: Float64Array): Float64Array[] => {
    const p = toMap(x);
    apply(p);
    const cols = free.map(() => new Float64Array(total));
    let o = 0;
    grids.forEach((g, k) => {
      const vars: DerivativeVariable[] = [];
      const owners: { target: Target; coef: number }[][] = [];
      for (const t of targets) {
        if (t.phase < 0 && t.dataset !== k) continue;
        if (t.uisoAtom !== undefined) {
          const ph = phases[t.phase];
          if (ph.kind !== 'crystal') continue;
          const coef = isotropicU(1, ph.cell);
          for (const [c, field] of (['u11', 'u22', 'u33', 'u12', 'u13', 'u23'] as const).entries()) {
            if (coef[c] === 0) continue;
            vars.push({ phase: t.phase, ref: { scope: 'atom', field, atom: t.uisoAtom } });
            owners.push([{ target: t, coef: coef[c] }]);
          }
        } else {
          vars.push({ phase: t.phase, ref: t.ref! });
          owners.push([{ target: t, coef: 1 }]);
        }
      }
      const d = pdffit2Derivatives(phases, models[k], g.grid, vars);
      const n = obs[k].length;
      d.forEach((col, v) => {
        for (const { target, coef } of owners[v]) {
          const grad = target.formula.evaluate(p, target.name).gradient;
          free.forEach((id, j) => {
            const gj = grad.get(id);
            if (!gj) return;
            for (let i = 0; i < n; i++) cols[j][o + i] += sw[k][i] * coef * gj * col[i];
          });
        }
      });
      o += n;
    });
    return cols;
  };
  const x0 = Float64Array.from(free, (id) => values.get(id)!);
  const result =
    free.length === 0
      ? { x: x0, covariance: [] as number[][], iterations: 0, converged: true }
      : levenbergMarquardt(
          {
            size: free.length,
            names: free.map((id) => `@${id}`),
            residuals: (x) => {
              const c = weightedCalc(toMap(x));
              for (let i = 0; i < total; i++) c[i] = obsW[i] - c[i];
              return c;
            },
            jacobian: (x) =>
              spec.derivatives === 'pdffit2'
                ? pdffit2Jacobian(x)
                : free.map((_, j) => {
                    const h = 1e-6 * Math.max(Math.abs(x[j]), 1e-3);
                    const up = Float64Array.from(x);
                    up[j] += h;
                    const dn = Float64Array.from(x);
                    dn[j] -= h;
                    const a = weightedCalc(toMap(up));
                    const b = weightedCalc(toMap(dn));
                    for (let i = 0; i < total; i++) a[i] = (a[i] - b[i]) / (2 * h);
                    return a;
                  }),
          },
          x0,
          { tolerance: spec.tolerance, maxIterations: spec.maxIterations, onIteration: options.onIteration },
        );
  const best = toMap(result.x);
  const calcs = calcAll(best);
  const cov = result.covariance;
  const sigma = (g: Map<number, number>): number => {
    let s = 0;
    free.forEach((a, i) => {
      free.forEach((b, j) => {
        s += (g.get(a) ?? 0) * cov[i][j] * (g.get(b) ?? 0);
      });
    });
    return Math.sqrt(Math.max(0, s));
  };
  const variables: FitVariableResult[] = targets.map((t) => {
    const e = t.formula.evaluate(best, t.name);
    return {
      owner: t.phase >= 0 ? phases[t.phase].name : spec.datasets[t.dataset].name,
      name: t.name,
      value: e.value,
      sigma: sigma(e.gradient),
    };
  });
  const pscaleSigma = phases.map((ph, p) => {
    const v = variables.find(
      (x) =>
        x.owner === ph.name &&
        x.name === 'pscale' &&
        targets.some((t) => t.phase === p && t.name === 'pscale'),
    );
    return v ? v.sigma : 0;
  });
  let chi2 = 0;
  let wobs2 = 0;
  const datasets: FitDataResult[] = calcs.map((c, k) => {
    const ob = obs[k];
    let c2 = 0;
    let w2 = 0;
    for (let i = 0; i < ob.length; i++) {
      const w = sw[k][i] ** 2;
      c2 += w * (ob[i] - c.g[i]) ** 2;
      w2 += w * ob[i] ** 2;
    }
    chi2 += c2;
    wobs2 += w2;
    const d = spec.datasets[k];
    return {
      name: d.name,
      r: c.r,
      gobs: ob,
      gcalc: c.g,
      gdiff: ob.map((v, i) => v - c.g[i]),
      dgobs: d.data.dg?.slice(grids[k].from, grids[k].to + 1),
      phaseParts: c.phases,
      rw: Math.sqrt(c2 / w2),
      chi2: c2,
      points: ob.length,
      data: { ...models[k] },
      fractions: phases.length > 1 ? phaseFractions(phases, models[k].radiation, pscaleSigma) : undefined,
    };
  });
  const correlations = free.map((_, i) => free.map((__, j) => cov[i][j] / Math.sqrt(cov[i][i] * cov[j][j])));
  if (!result.converged)
    notes.push(
      `the refinement did not converge in ${result.iterations} iterations (chi^2 still falling by more than the tolerance ${spec.tolerance ?? 1e-8}): the values are the last step's, not a minimum`,
    );
  return {
    parameters: spec.parameters.map((p) => {
      const j = free.indexOf(p.id);
      return { id: p.id, value: best.get(p.id)!, sigma: j >= 0 ? Math.sqrt(cov[j][j]) : 0, fixed: j < 0 };
    }),
    correlations,
    freeIds: free,
    variables,
    rw: Math.sqrt(chi2 / wobs2),
    chi2,
    reducedChi2: chi2 / (total - free.length),
    points: total,
    iterations: result.iterations,
    converged: result.converged,
    datasets,
    phases,
    notes,
  };
};

/** Value of any model variable after a fit, by its PDFfit2 name. */
export const phaseVariable = (phase: PdfPhase, name: string): number =>
  getVariable(parseVariable(name, phase), phase, {
    radiation: 'X',
    qmax: 0,
    qdamp: 0,
    qbroad: 0,
    dscale: 1,
  });
