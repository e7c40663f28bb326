import { ATOMIC_WEIGHTS, atomicNumber } from './elements.js';
import { OptionError } from './errors.js';

/**
 * An amount of each element (counts may be fractional, as in Na0.75K0.25AlCl4) and a net charge.
 * Element order is the order of first appearance in the formula.
 */
export class Composition {
  readonly amounts: ReadonlyMap<string, number>;
  /** Net charge in e (e.g. -1 for Al3O2Cl6-). */
  readonly charge: number;

  constructor(amounts: Iterable<[string, number]>, charge = 0) {
    const m = new Map<string, number>();
    for (const [el, n] of amounts) {
      if (atomicNumber(el) < 0) throw new OptionError(`unknown element "${el}"`);
      if (!(n >= 0) || !Number.isFinite(n)) throw new OptionError(`bad amount ${n} of ${el}`);
      m.set(el, (m.get(el) ?? 0) + n);
    }
    this.amounts = m;
    this.charge = charge;
  }

  /** Parse a formula: 'Li3Al3O2Cl8', 'AlCl3.6H2O', 'AlCl3·6H2O', 'Ca(OH)2', 'Al3O2Cl6-', 'SO4^2-'. */
  static parse(formula: string): Composition {
    return parseFormula(formula);
  }

  /** Count of one element (0 when absent). */
  get(el: string): number {
    return this.amounts.get(el) ?? 0;
  }

  /** Total number of atoms. */
  get atomCount(): number {
    let s = 0;
    for (const n of this.amounts.values()) s += n;
    return s;
  }

  /** Molar mass (g/mol) = mass of one formula unit in amu, from standard atomic weights. */
  get molarMass(): number {
    let s = 0;
    for (const [el, n] of this.amounts) s += n * ATOMIC_WEIGHTS[atomicNumber(el)];
    return s;
  }

  /** This composition times k. */
  scale(k: number): Composition {
    return new Composition(
      [...this.amounts].map(([e, n]) => [e, n * k] as [string, number]),
      this.charge * k,
    );
  }

  add(other: Composition): Composition {
    return new Composition([...this.amounts, ...other.amounts], this.charge + other.charge);
  }

  equals(other: Composition, tol = 1e-9): boolean {
    const keys = new Set([...this.amounts.keys(), ...other.amounts.keys()]);
    for (const k of keys) if (Math.abs(this.get(k) - other.get(k)) > tol) return false;
    return Math.abs(this.charge - other.charge) <= tol;
  }

  /** Formula string in order of appearance, e.g. 'Li3Al3O2Cl8', 'Al3O2Cl6-'. */
  toString(): string {
    const num = (n: number) => (n === 1 ? '' : Number.isInteger(n) ? String(n) : String(+n.toPrecision(10)));
    let s = '';
    for (const [el, n] of this.amounts) if (n > 0) s += el + num(n);
    if (this.charge !== 0)
      s += (Math.abs(this.charge) === 1 ? '' : String(Math.abs(this.charge))) + (this.charge < 0 ? '-' : '+');
    return s;
  }
}

/** Recursive-descent parser over the formula grammar; errors name the column. */
const parseFormula = (text: string): Composition => {
  const s = text.trim();
  let i = 0;
  const fail = (what: string): never => {
    throw new OptionError(
      `formula "${text}", column ${i + 1}: expected ${what}, found "${s.slice(i, i + 5) || 'end'}"`,
    );
  };
  // A '.' between digits is a decimal point (Na0.75K0.25, Li1.3Al0.3Ti1.7(PO4)3) except before
  // water of crystallisation ('AlCl3.6H2O'); '·', '•' and '*' always separate hydrate parts.
  const number = (): number | undefined => {
    const rest = s.slice(i);
    const m = /^\d+/.exec(rest);
    if (!m) return undefined;
    let len = m[0].length;
    const frac = /^\.\d+/.exec(rest.slice(len));
    if (frac && !/^\.\d*H2O/.test(rest.slice(len))) len += frac[0].length;
    i += len;
    return Number(rest.slice(0, len));
  };
  const group = (closing: string | undefined): Map<string, number> => {
    const acc = new Map<string, number>();
    const addAll = (m: Map<string, number>, k: number) => {
      for (const [e, n] of m) acc.set(e, (acc.get(e) ?? 0) + n * k);
    };
    while (i < s.length) {
      const c = s[i];
      if (c === '(' || c === '[') {
        i++;
        const inner = group(c === '(' ? ')' : ']');
        // '[Al3O2Cl8]3-': digits right before a final sign are the charge, not a multiplier.
        addAll(inner, /^\d*\s*[+-]$/.test(s.slice(i)) ? 1 : (number() ?? 1));
      } else if (c >= 'A' && c <= 'Z') {
        let el = c;
        i++;
        if (i < s.length && s[i] >= 'a' && s[i] <= 'z') el += s[i++];
        if (atomicNumber(el) < 0 || el === 'X') {
          i -= el.length;
          fail('an element symbol');
        }
        addAll(new Map([[el, 1]]), number() ?? 1);
      } else if (closing !== undefined && c === closing) {
        i++;
        return acc;
      } else break;
    }
    if (closing !== undefined) fail(`"${closing}"`);
    if (acc.size === 0) fail('an element or "("');
    return acc;
  };
  const total = new Map<string, number>();
  for (;;) {
    const coefficient = number() ?? 1;
    for (const [e, n] of group(undefined)) total.set(e, (total.get(e) ?? 0) + n * coefficient);
    if (i < s.length && (s[i] === '.' || s[i] === '·' || s[i] === '*' || s[i] === '•')) {
      i++;
      continue;
    }
    break;
  }
  let charge = 0;
  if (i < s.length) {
    const m = /^\s*\^?\{?(\d*)([+-])(\d*)\}?$/.exec(s.slice(i));
    if (!m || (m[1] && m[3])) fail('a charge such as "-", "2-" or "+3", or the end');
    const magnitude = Number(m![1] || m![3] || 1);
    charge = m![2] === '-' ? -magnitude : magnitude;
    i = s.length;
  }
  return new Composition(total, charge);
};
