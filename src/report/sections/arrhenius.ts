import { type ArrheniusFit, extrapolate } from '../../analysis/transport/arrhenius.js';
import { nernstEinsteinFactor } from '../../analysis/transport/conductivity.js';
import { evToKelvin } from '../../core/units.js';
import { num, withInterval } from '../format.js';
import type { SectionBuilder } from '../section.js';
import { fitMembershipLayers, logAxis, temperatureColour, tLabel, vl } from './common.js';

/** Points along 1000/T for the fitted line and its band. */
const LINE_POINTS = 60;

/**
 * The Arrhenius plot of D and of sigma T against 1000/T: each temperature's D (sigma) with its
 * 95 % interval (filled: inside the fit window), the weighted fit of ln D against 1/T and its 95 %
 * band (the fit's propagated interval, analysis/transport/arrhenius.ts extrapolate) drawn from the
 * extrapolation temperature to the hottest run, the extrapolated value with its interval, and the
 * measured conductivity with the measured activation energy when given.
 */
export const arrheniusSection: SectionBuilder = (input) => {
  const t = input.transport;
  const a = t?.arrhenius;
  if (!t || !a) return undefined;
  const runs = t.runs;
  const species = runs[0].result.species;
  const fit: ArrheniusFit = a.weighted ?? a.ols;
  const fitted = new Set(a.temperaturesK);
  const x = a.extrapolation.temperatureK;
  // sigma = f(T) D with f = n q^2 / (k_B T), n the mean carrier density of the fitted runs (as
  // arrheniusSummary extrapolates sigma).
  const used = runs.filter((r) => fitted.has(r.temperatureK));
  const density = used.reduce((s, r) => s + r.result.carriers / r.result.volumeA3, 0) / used.length;
  const factor = (T: number) => nernstEinsteinFactor(density, 1, T, runs[0].result.charge);

  const pointRows = runs.map((r) => {
    const D = r.result.diffusivity.glsCm2PerS;
    const s = r.result.conductivity.nernstEinsteinMsPerCm;
    return {
      T: tLabel(r.temperatureK),
      kelvin: r.temperatureK,
      inv: 1000 / r.temperatureK,
      D: D.value,
      Dlo: Math.max(D.low95, D.value * 1e-3),
      Dhi: D.high95,
      sT: s.value * r.temperatureK,
      sTlo: Math.max(s.low95, s.value * 1e-3) * r.temperatureK,
      sThi: s.high95 * r.temperatureK,
      fitted: fitted.has(r.temperatureK) ? 'in fit' : 'not fitted',
    };
  });
  const positive = pointRows.filter((p) => p.D > 0);
  const Ts = [...a.temperaturesK, x];
  const tMin = Math.min(...Ts);
  const tMax = Math.max(...Ts);
  const line = Array.from({ length: LINE_POINTS + 1 }, (_, k) => {
    const inv = 1000 / tMax + ((1000 / tMin - 1000 / tMax) * k) / LINE_POINTS;
    const T = 1000 / inv;
    const e = extrapolate(fit, T);
    const f = factor(T) * T;
    return {
      inv,
      D: e.value,
      Dlo: e.low95,
      Dhi: e.high95,
      sT: e.value * f,
      sTlo: e.low95 * f,
      sThi: e.high95 * f,
    };
  });
  const ex = a.extrapolation;
  const extrap = [
    {
      inv: 1000 / x,
      kelvin: x,
      D: ex.diffusivityCm2PerS.value,
      Dlo: ex.diffusivityCm2PerS.low95,
      Dhi: ex.diffusivityCm2PerS.high95,
      sT: ex.conductivityMsPerCm.value * x,
      sTlo: ex.conductivityMsPerCm.low95 * x,
      sThi: ex.conductivityMsPerCm.high95 * x,
      label: `extrapolated to ${x} K`,
    },
  ];
  const m = input.measured;
  const label = `measured${m?.label ? ` (${m.label})` : ''}`;
  const measuredPoint = (m?.points ?? []).map((p) => ({
    inv: 1000 / p.temperatureK,
    kelvin: p.temperatureK,
    sT: p.msPerCm * p.temperatureK,
    label: `${label}: ${num(p.msPerCm)} mS/cm at ${num(p.temperatureK, 5)} K`,
  }));
  // The measured Arrhenius line over the plotted range: the measured fit of sigma T, or the given
  // activation energy through the first measured point.
  const span = [tMin, tMax, ...(m?.points.map((p) => p.temperatureK) ?? [])];
  const lineT = [Math.min(...span), Math.max(...span)];
  const first = m?.points[0];
  const measuredLine = m?.sigmaTLine
    ? lineT.map((T) => ({
        inv: 1000 / T,
        sT: 1000 * Math.exp(m.sigmaTLine!.intercept + m.sigmaTLine!.slope / T),
      }))
    : first && m?.activationEv !== undefined
      ? lineT.map((T) => ({
          inv: 1000 / T,
          sT:
            first.msPerCm *
            first.temperatureK *
            Math.exp(-evToKelvin(m.activationEv!) * (1 / T - 1 / first.temperatureK)),
        }))
      : [];
  const colour = temperatureColour(input);
  const xEnc = {
    field: 'inv',
    type: 'quantitative',
    title: '1000/T (1/K)',
    scale: { zero: false, nice: false, padding: 12 },
  };

  const panel = (
    key: 'D' | 'sT',
    title: string,
    size: { width: number; height: number },
  ): Record<string, unknown> => {
    const all = [
      ...positive,
      ...line,
      ...extrap,
      ...(key === 'sT' ? [...measuredPoint, ...measuredLine] : []),
    ] as unknown as Record<string, number>[];
    const log = logAxis(
      all.flatMap((p) => [p[key], p[`${key}lo`], p[`${key}hi`]]).filter((v) => v !== undefined),
    );
    const y = {
      field: key,
      type: 'quantitative',
      title,
      scale: log.scale,
      axis: { ...log.axis, format: '.0e' },
    };
    const layers: Record<string, unknown>[] = [
      {
        data: { values: line },
        mark: { type: 'area', color: '#7a7a7a', opacity: 0.18 },
        encoding: { x: xEnc, y: { ...y, field: `${key}lo` }, y2: { field: `${key}hi` } },
      },
      {
        data: { values: line },
        mark: { type: 'line', color: '#333', strokeWidth: 1.2 },
        encoding: { x: xEnc, y },
      },
      {
        data: { values: positive },
        mark: { type: 'rule', strokeWidth: 1.2 },
        encoding: {
          x: xEnc,
          y: { ...y, field: `${key}lo` },
          y2: { field: `${key}hi` },
          color: colour,
        },
      },
      ...fitMembershipLayers(
        positive,
        {
          x: xEnc,
          y,
          color: colour,
          tooltip: [
            { field: 'T', type: 'nominal' },
            { field: key, type: 'quantitative', title, format: '.3~e' },
            { field: `${key}lo`, type: 'quantitative', title: '95 % low', format: '.2~e' },
            { field: `${key}hi`, type: 'quantitative', title: '95 % high', format: '.2~e' },
            { field: 'fitted', type: 'nominal', title: 'Arrhenius fit' },
          ],
        },
        { size: 60, strokeWidth: 1.5 },
      ),
      {
        data: { values: extrap },
        mark: { type: 'rule', color: '#000', strokeWidth: 1.2 },
        encoding: { x: xEnc, y: { ...y, field: `${key}lo` }, y2: { field: `${key}hi` } },
      },
      {
        data: { values: extrap },
        mark: { type: 'point', shape: 'diamond', size: 80, filled: true, color: '#000' },
        encoding: {
          x: xEnc,
          y,
          tooltip: [
            { field: 'label', type: 'nominal', title: 'point' },
            { field: key, type: 'quantitative', title, format: '.3~e' },
            { field: `${key}lo`, type: 'quantitative', title: '95 % low', format: '.2~e' },
            { field: `${key}hi`, type: 'quantitative', title: '95 % high', format: '.2~e' },
          ],
        },
      },
    ];
    if (key === 'sT' && measuredPoint.length) {
      if (measuredLine.length)
        layers.push({
          data: { values: measuredLine },
          mark: { type: 'line', color: '#b8860b', strokeDash: [6, 3], strokeWidth: 1.2 },
          encoding: { x: xEnc, y },
        });
      layers.push({
        data: { values: measuredPoint },
        mark: { type: 'point', shape: 'square', size: 70, filled: true, color: '#b8860b' },
        encoding: {
          x: xEnc,
          y,
          tooltip: [
            { field: 'label', type: 'nominal', title: 'point' },
            { field: 'sT', type: 'quantitative', title, format: '.3~e' },
          ],
        },
      });
    }
    return { width: size.width, height: size.height, layer: layers };
  };

  const ea = fit.activationEv;
  const measuredText = m
    ? ` Gold squares: ${label}, ${m.points.map((p) => `${num(p.msPerCm)} mS/cm at ${num(p.temperatureK, 5)} K`).join(', ')}${
        measuredLine.length
          ? `; dashed: ${m.sigmaTLine ? 'the measured Arrhenius fit of σT' : 'the measured activation energy through the first point'}${m.activationEv !== undefined ? ` (Ea ${num(m.activationEv)} eV)` : ''}`
          : ''
      }.`
    : '';
  const notes: string[] = [];
  if (input.quick) notes.push('--quick study: short runs check the workflow; these numbers are not results.');
  const outside = runs.filter((r) => !fitted.has(r.temperatureK)).map((r) => r.temperatureK);
  if (outside.length)
    notes.push(
      `${outside.join(', ')} K ${outside.length > 1 ? 'are' : 'is'} outside the fit (hollow)${t.windowK ? `: the Arrhenius window is ${t.windowK[0]}-${t.windowK[1]} K` : ''}.`,
    );
  return {
    id: 'arrhenius',
    title: `Arrhenius plot of ${species} transport`,
    summary: `Ea = ${withInterval(ea)} eV (${fit.method} fit of ln D against 1/T, ${fit.points} temperatures); extrapolated to ${x} K: D = ${withInterval(ex.diffusivityCm2PerS)} cm²/s, σ = ${withInterval(ex.conductivityMsPerCm)} mS/cm (95 %).`,
    blocks: [
      {
        kind: 'plot',
        id: 'arrhenius',
        title: `Arrhenius plot: D and σT of ${species}`,
        panels: 2,
        caption: `Circles: the GLS diffusivity D and the Nernst-Einstein conductivity σ (times T) of each run with 95 % intervals; filled circles are in the fit. Line and grey band: the ${fit.method} Arrhenius fit and its 95 % band; black diamond: the extrapolation to ${x} K with its interval.${measuredText}`,
        notes,
        spec: (size) =>
          vl({
            hconcat: [panel('D', `D of ${species} (cm²/s)`, size), panel('sT', 'σ·T (mS K/cm)', size)],
            resolve: { scale: { color: 'shared' } },
          }),
      },
    ],
  };
};
