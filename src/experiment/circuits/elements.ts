import { add, type Complex, cx, div, inv, jLog, jPow, mul, scale, sqrt, sub, tanh } from './complex.js';

/** One circuit element: its parameters and Z(omega) with the derivative of Z by each parameter. */
export interface ElementType {
  /** The letters that name it in a circuit string ("CPE" in "CPE1"). */
  symbol: string;
  description: string;
  /** Parameter names (suffixes in impedance.py's order) and their units. */
  parameters: { name: string; unit: string }[];
  /** Default bounds of each parameter (impedance.py's: (0, inf), exponents up to 1). */
  upper: number[];
  /** Z at angular frequency omega (rad/s) and dZ/dp_k for every parameter. */
  impedance: (omega: number, p: readonly number[]) => { z: Complex; dz: Complex[] };
}

const J = cx(0, 1);
const one = cx(1);
const INF = Number.POSITIVE_INFINITY;

/** tanh(s)/s and its derivative d/ds = sech^2(s)/s - tanh(s)/s^2, sech^2 = 1 - tanh^2. */
const tanhOverS = (s: Complex) => {
  const t = tanh(s);
  const v = div(t, s);
  const d = sub(div(sub(one, mul(t, t)), s), div(v, s));
  return { v, d };
};

/**
 * The elements, with impedance.py's definitions (elements.py) so that fitted parameters mean the
 * same thing in both: R; C, Z = 1/(j omega C); L, Z = j omega L; CPE, Z = 1/(Q (j omega)^alpha);
 * W (semi-infinite Warburg), Z = A_W (1 - j)/sqrt(omega); Wo (finite space, open/reflective),
 * Z = Z0 coth(s)/s; Ws (finite length, transmissive), Z = Z0 tanh(s)/s, s = sqrt(j omega tau);
 * La, Z = (j omega L)^alpha (as impedance.py computes it); G (Gerischer),
 * Z = R_G / sqrt(1 + j omega t_G); Gs (finite-length Gerischer),
 * Z = R_G / (sqrt(1 + j omega t_G) tanh(phi sqrt(1 + j omega t_G))); K (an RC by its time
 * constant, Lin-KK's), Z = R/(1 + j omega tau); Zarc, Z = R/(1 + (j omega tau)^gamma).
 */
export const ELEMENTS: Record<string, ElementType> = {
  R: {
    symbol: 'R',
    description: 'resistor',
    parameters: [{ name: '', unit: 'ohm' }],
    upper: [INF],
    impedance: (_w, [r]) => ({ z: cx(r), dz: [one] }),
  },
  C: {
    symbol: 'C',
    description: 'capacitor',
    parameters: [{ name: '', unit: 'F' }],
    upper: [INF],
    impedance: (w, [c]) => {
      const z = cx(0, -1 / (w * c));
      return { z, dz: [scale(z, -1 / c)] };
    },
  },
  L: {
    symbol: 'L',
    description: 'inductor',
    parameters: [{ name: '', unit: 'H' }],
    upper: [INF],
    impedance: (w, [l]) => ({ z: cx(0, w * l), dz: [cx(0, w)] }),
  },
  CPE: {
    symbol: 'CPE',
    description: 'constant phase element',
    parameters: [
      { name: 'Q', unit: 'ohm^-1 s^alpha' },
      { name: 'alpha', unit: '' },
    ],
    upper: [INF, 1],
    impedance: (w, [q, a]) => {
      const z = inv(scale(jPow(w, a), q));
      return { z, dz: [scale(z, -1 / q), scale(mul(z, jLog(w)), -1)] };
    },
  },
  La: {
    symbol: 'La',
    description: 'modified inductance',
    parameters: [
      { name: 'L', unit: 'H s^(alpha-1)' },
      { name: 'alpha', unit: '' },
    ],
    upper: [INF, 1],
    impedance: (w, [l, a]) => {
      const z = jPow(w * l, a);
      return { z, dz: [scale(z, a / l), mul(z, jLog(w * l))] };
    },
  },
  W: {
    symbol: 'W',
    description: 'semi-infinite Warburg',
    parameters: [{ name: '', unit: 'ohm s^-1/2' }],
    upper: [INF],
    impedance: (w, [a]) => {
      const d = cx(1 / Math.sqrt(w), -1 / Math.sqrt(w));
      return { z: scale(d, a), dz: [d] };
    },
  },
  Wo: {
    symbol: 'Wo',
    description: 'finite-space (open) Warburg',
    parameters: [
      { name: 'Z0', unit: 'ohm' },
      { name: 'tau', unit: 's' },
    ],
    upper: [INF, INF],
    impedance: (w, [z0, tau]) => {
      // coth(s)/s = 1/(s tanh s); d/ds [1/(s tanh s)] = -(d/ds[s tanh s]) / (s tanh s)^2.
      const s = sqrt(cx(0, w * tau));
      const t = tanh(s);
      const st = mul(s, t);
      const f = inv(st);
      const dst = add(t, mul(s, sub(one, mul(t, t))));
      const df = scale(mul(dst, mul(f, f)), -1);
      const dsdtau = scale(s, 1 / (2 * tau));
      return { z: scale(f, z0), dz: [f, scale(mul(df, dsdtau), z0)] };
    },
  },
  Ws: {
    symbol: 'Ws',
    description: 'finite-length (short) Warburg',
    parameters: [
      { name: 'Z0', unit: 'ohm' },
      { name: 'tau', unit: 's' },
    ],
    upper: [INF, INF],
    impedance: (w, [z0, tau]) => {
      const s = sqrt(cx(0, w * tau));
      const { v, d } = tanhOverS(s);
      return { z: scale(v, z0), dz: [v, scale(mul(d, scale(s, 1 / (2 * tau))), z0)] };
    },
  },
  G: {
    symbol: 'G',
    description: 'Gerischer',
    parameters: [
      { name: 'R', unit: 'ohm' },
      { name: 't', unit: 's' },
    ],
    upper: [INF, INF],
    impedance: (w, [r, t]) => {
      const u = cx(1, w * t);
      const g = inv(sqrt(u));
      const z = scale(g, r);
      // dZ/dt = -Z j omega / (2 (1 + j omega t))
      return { z, dz: [g, scale(div(mul(z, cx(0, w)), u), -0.5)] };
    },
  },
  Gs: {
    symbol: 'Gs',
    description: 'finite-length Gerischer',
    parameters: [
      { name: 'R', unit: 'ohm' },
      { name: 't', unit: 's' },
      { name: 'phi', unit: '' },
    ],
    upper: [INF, INF, INF],
    impedance: (w, [r, t, phi]) => {
      const v = sqrt(cx(1, w * t));
      const th = tanh(scale(v, phi));
      const sech2 = sub(one, mul(th, th));
      const den = mul(v, th);
      const g = inv(den);
      const z = scale(g, r);
      // d(den)/dv = tanh(phi v) + phi v sech^2(phi v); dv/dt = j omega / (2 v); d(den)/dphi = v^2 sech^2.
      const dDenDv = add(th, scale(mul(v, sech2), phi));
      const dvdt = div(cx(0, w / 2), v);
      const dzdden = scale(mul(g, g), -r);
      return {
        z,
        dz: [g, mul(dzdden, mul(dDenDv, dvdt)), mul(dzdden, mul(mul(v, v), sech2))],
      };
    },
  },
  K: {
    symbol: 'K',
    description: 'RC element by its time constant',
    parameters: [
      { name: 'R', unit: 'ohm' },
      { name: 'tau', unit: 's' },
    ],
    upper: [INF, INF],
    impedance: (w, [r, tau]) => {
      const g = inv(cx(1, w * tau));
      return { z: scale(g, r), dz: [g, scale(mul(mul(g, g), J), -r * w)] };
    },
  },
  Zarc: {
    symbol: 'Zarc',
    description: 'ZARC (R parallel to a CPE, by time constant)',
    parameters: [
      { name: 'R', unit: 'ohm' },
      { name: 'tau', unit: 's' },
      { name: 'gamma', unit: '' },
    ],
    upper: [INF, INF, 1],
    impedance: (w, [r, tau, gamma]) => {
      const q = jPow(w * tau, gamma);
      const g = inv(add(one, q));
      const dzdq = scale(mul(g, g), -r);
      return {
        z: scale(g, r),
        dz: [g, scale(mul(dzdq, q), gamma / tau), mul(dzdq, mul(q, jLog(w * tau)))],
      };
    },
  },
};

/** The element symbols, longest first (so that "CPE" is tried before "C"). */
export const ELEMENT_SYMBOLS = Object.keys(ELEMENTS).sort((a, b) => b.length - a.length);
