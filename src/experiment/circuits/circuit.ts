import { add, type Complex, cx, div, inv, mul } from './complex.js';
import { type CircuitNode, circuitElements, parseCircuit } from './parse-circuit.js';

/** A parsed circuit with its parameter names (impedance.py's: R0, CPE1_0, CPE1_1, ...). */
export interface Circuit {
  text: string;
  root: CircuitNode;
  /** One name per parameter, in order. */
  parameterNames: string[];
  /** The unit of each parameter. */
  parameterUnits: string[];
  /** Default upper bound of each parameter (1 for CPE, La and Zarc exponents, else infinity). */
  defaultUpper: number[];
}

export const circuit = (text: string): Circuit => {
  const root = parseCircuit(text);
  const parameterNames: string[] = [];
  const parameterUnits: string[] = [];
  const defaultUpper: number[] = [];
  for (const e of circuitElements(root)) {
    const n = e.type.parameters.length;
    e.type.parameters.forEach((p, k) => {
      parameterNames.push(n > 1 ? `${e.name}_${k}` : e.name);
      parameterUnits.push(p.unit);
      defaultUpper.push(e.type.upper[k]);
    });
  }
  return { text, root, parameterNames, parameterUnits, defaultUpper };
};

/**
 * Z and dZ/dp of a node at one angular frequency. Series: Z = sum Z_i, dZ/dp = dZ_i/dp. Parallel:
 * Z = 1 / sum(1/Z_i), dZ/dp = (Z / Z_i)^2 dZ_i/dp for p in branch i.
 */
const evalNode = (
  node: CircuitNode,
  omega: number,
  p: readonly number[],
  offset: { k: number },
  grad: Complex[],
): { z: Complex; from: number; to: number } => {
  if (node.kind === 'element') {
    const n = node.type.parameters.length;
    const from = offset.k;
    const { z, dz } = node.type.impedance(omega, p.slice(from, from + n));
    for (let k = 0; k < n; k++) grad[from + k] = dz[k];
    offset.k += n;
    return { z, from, to: from + n };
  }
  const parts = node.parts.map((c) => evalNode(c, omega, p, offset, grad));
  const from = parts[0].from;
  const to = parts[parts.length - 1].to;
  if (node.kind === 'series') return { z: parts.reduce((s, q) => add(s, q.z), cx(0)), from, to };
  const z = inv(parts.reduce((s, q) => add(s, inv(q.z)), cx(0)));
  for (const q of parts) {
    const r = div(z, q.z);
    const f = mul(r, r);
    for (let k = q.from; k < q.to; k++) grad[k] = mul(f, grad[k]);
  }
  return { z, from, to };
};

/** Z(f) of the circuit (re, im in ohm) at each frequency (Hz). */
export const circuitImpedance = (
  c: Circuit,
  parameters: readonly number[],
  frequencyHz: ArrayLike<number>,
): { re: Float64Array; im: Float64Array } => {
  const { re, im } = circuitImpedanceAndJacobian(c, parameters, frequencyHz, false);
  return { re, im };
};

/**
 * Z(f) and, when asked, its derivatives: jacRe[k][i] = d Re Z(f_i) / dp_k (analytic), jacIm the same
 * for Im Z.
 */
export const circuitImpedanceAndJacobian = (
  c: Circuit,
  parameters: readonly number[],
  frequencyHz: ArrayLike<number>,
  jacobian = true,
): { re: Float64Array; im: Float64Array; jacRe: Float64Array[]; jacIm: Float64Array[] } => {
  const P = c.parameterNames.length;
  if (parameters.length !== P)
    throw new RangeError(
      `${c.text} has ${P} parameters (${c.parameterNames.join(', ')}), got ${parameters.length}`,
    );
  const n = frequencyHz.length;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  const jacRe = jacobian ? Array.from({ length: P }, () => new Float64Array(n)) : [];
  const jacIm = jacobian ? Array.from({ length: P }, () => new Float64Array(n)) : [];
  const grad: Complex[] = new Array(P);
  for (let i = 0; i < n; i++) {
    const { z } = evalNode(c.root, 2 * Math.PI * frequencyHz[i], parameters, { k: 0 }, grad);
    re[i] = z.re;
    im[i] = z.im;
    if (jacobian)
      for (let k = 0; k < P; k++) {
        jacRe[k][i] = grad[k].re;
        jacIm[k][i] = grad[k].im;
      }
  }
  return { re, im, jacRe, jacIm };
};
