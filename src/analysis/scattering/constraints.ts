import { OptionError } from '../../core/errors.js';

// Constraint formulas as PDFgui and PDFfit2 write them: a model variable is a formula of numbered
// parameters, "@1", "@11 + 0.5", "@20*2", "1 - @3", "sqrt(@4)", "@2**2". Parsed once into a tree;
// evaluated with the gradient with respect to the parameters (for the refinement's chain rule and
// the error propagation, PDFfit2 Fit::fill_variables and fit_errors).

type Node =
  | { k: 'num'; v: number }
  | { k: 'par'; id: number }
  | { k: 'neg'; a: Node }
  | { k: 'bin'; op: '+' | '-' | '*' | '/' | '^'; a: Node; b: Node }
  | { k: 'fn'; name: string; a: Node };

const FUNCTIONS: Record<string, [(x: number) => number, (x: number) => number]> = {
  sqrt: [Math.sqrt, (x) => 0.5 / Math.sqrt(x)],
  exp: [Math.exp, Math.exp],
  log: [Math.log, (x) => 1 / x],
  sin: [Math.sin, Math.cos],
  cos: [Math.cos, (x) => -Math.sin(x)],
  tan: [Math.tan, (x) => 1 / Math.cos(x) ** 2],
  sind: [(x) => Math.sin((x * Math.PI) / 180), (x) => (Math.cos((x * Math.PI) / 180) * Math.PI) / 180],
  cosd: [(x) => Math.cos((x * Math.PI) / 180), (x) => (-Math.sin((x * Math.PI) / 180) * Math.PI) / 180],
  abs: [Math.abs, Math.sign],
};

/** A parsed constraint formula. */
export class Formula {
  /** Parameter numbers the formula uses, in order of first use. */
  readonly parameters: number[];
  private constructor(
    readonly text: string,
    private readonly root: Node,
  ) {
    const seen: number[] = [];
    const walk = (n: Node): void => {
      if (n.k === 'par' && !seen.includes(n.id)) seen.push(n.id);
      else if (n.k === 'neg' || n.k === 'fn') walk(n.a);
      else if (n.k === 'bin') {
        walk(n.a);
        walk(n.b);
      }
    };
    walk(root);
    this.parameters = seen;
  }

  /** Parse `text`; `where` names the constraint in error messages. */
  static parse(text: string, where: string): Formula {
    const src = String(text);
    let i = 0;
    const fail = (what: string): never => {
      throw new OptionError(`${where}: cannot read the formula "${src}": ${what} at character ${i + 1}`);
    };
    const ws = () => {
      while (i < src.length && /\s/.test(src[i])) i++;
    };
    const peek = (): string => {
      ws();
      return src[i] ?? '';
    };
    const expr = (): Node => {
      let a = term();
      for (let c = peek(); c === '+' || c === '-'; c = peek()) {
        i++;
        a = { k: 'bin', op: c, a, b: term() };
      }
      return a;
    };
    const term = (): Node => {
      let a = unary();
      for (let c = peek(); (c === '*' && src[i + 1] !== '*') || c === '/'; c = peek()) {
        i++;
        a = { k: 'bin', op: c as '*' | '/', a, b: unary() };
      }
      return a;
    };
    const unary = (): Node => {
      const c = peek();
      if (c === '-') {
        i++;
        return { k: 'neg', a: unary() };
      }
      if (c === '+') {
        i++;
        return unary();
      }
      return power();
    };
    const power = (): Node => {
      const a = atom();
      const c = peek();
      if (c === '^' || (c === '*' && src[i + 1] === '*')) {
        i += c === '^' ? 1 : 2;
        return { k: 'bin', op: '^', a, b: unary() };
      }
      return a;
    };
    const atom = (): Node => {
      const c = peek();
      if (c === '(') {
        i++;
        const e = expr();
        if (peek() !== ')') fail('a closing parenthesis expected');
        i++;
        return e;
      }
      if (c === '@') {
        i++;
        const m = /^\d+/.exec(src.slice(i));
        if (!m) fail('a parameter number after @ expected');
        i += m![0].length;
        return { k: 'par', id: Number(m![0]) };
      }
      const num = /^(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(src.slice(i));
      if (num) {
        i += num[0].length;
        return { k: 'num', v: Number(num[0]) };
      }
      const name = /^[A-Za-z_]\w*/.exec(src.slice(i));
      if (name) {
        const fn = name[0].toLowerCase();
        if (!FUNCTIONS[fn])
          fail(`unknown function "${name[0]}" (known: ${Object.keys(FUNCTIONS).join(', ')})`);
        i += name[0].length;
        if (peek() !== '(') fail(`"(" after ${name[0]} expected`);
        i++;
        const a = expr();
        if (peek() !== ')') fail('a closing parenthesis expected');
        i++;
        return { k: 'fn', name: fn, a };
      }
      return fail(c ? `unexpected "${c}"` : 'unexpected end');
    };
    const root = expr();
    if (peek() !== '') fail(`unexpected "${peek()}"`);
    return new Formula(src, root);
  }

  /**
   * Value and gradient (d value / d parameter, by parameter number) at the parameter values `p`.
   * A parameter the formula names but `p` lacks is an error naming it.
   */
  evaluate(p: ReadonlyMap<number, number>, where: string): { value: number; gradient: Map<number, number> } {
    const ev = (n: Node): [number, Map<number, number>] => {
      switch (n.k) {
        case 'num':
          return [n.v, new Map()];
        case 'par': {
          const v = p.get(n.id);
          if (v === undefined)
            throw new OptionError(
              `${where}: the formula "${this.text}" names parameter @${n.id}, which is not defined`,
            );
          return [v, new Map([[n.id, 1]])];
        }
        case 'neg': {
          const [v, g] = ev(n.a);
          return [-v, scale(g, -1)];
        }
        case 'fn': {
          const [v, g] = ev(n.a);
          const [f, df] = FUNCTIONS[n.name];
          return [f(v), scale(g, df(v))];
        }
        case 'bin': {
          const [a, ga] = ev(n.a);
          const [b, gb] = ev(n.b);
          switch (n.op) {
            case '+':
              return [a + b, add(ga, gb, 1, 1)];
            case '-':
              return [a - b, add(ga, gb, 1, -1)];
            case '*':
              return [a * b, add(ga, gb, b, a)];
            case '/':
              return [a / b, add(ga, gb, 1 / b, -a / (b * b))];
            default: {
              const v = a ** b;
              return [v, add(ga, gb, b * a ** (b - 1), gb.size ? v * Math.log(a) : 0)];
            }
          }
        }
      }
    };
    const [value, gradient] = ev(this.root);
    if (!Number.isFinite(value))
      throw new OptionError(
        `${where}: the formula "${this.text}" gives ${value} at the current parameter values`,
      );
    return { value, gradient };
  }
}

const scale = (g: Map<number, number>, s: number): Map<number, number> =>
  new Map([...g].map(([k, v]) => [k, v * s]));
const add = (a: Map<number, number>, b: Map<number, number>, sa: number, sb: number): Map<number, number> => {
  const out = scale(a, sa);
  for (const [k, v] of b) out.set(k, (out.get(k) ?? 0) + v * sb);
  return out;
};
