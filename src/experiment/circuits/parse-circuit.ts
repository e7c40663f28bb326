import { OligolyteError } from '../../core/errors.js';
import { ELEMENTS, type ElementType } from './elements.js';

/** A circuit: elements in series, elements in parallel, or one element. */
export type CircuitNode =
  | { kind: 'element'; name: string; type: ElementType; column: number }
  | { kind: 'series'; parts: CircuitNode[] }
  | { kind: 'parallel'; parts: CircuitNode[] };

/** A circuit string that does not parse: the message says where (1-based column) and what was expected. */
export class CircuitSyntaxError extends OligolyteError {
  override name = 'CircuitSyntaxError';
  readonly circuit: string;
  readonly column: number;
  constructor(circuit: string, column: number, expected: string, found: string) {
    super(`circuit "${circuit}" at column ${column}: expected ${expected}, found ${found}`);
    this.circuit = circuit;
    this.column = column;
  }
}

const ELEMENT_LIST = Object.keys(ELEMENTS).join(', ');

/**
 * Parse impedance.py's circuit grammar: `-` joins in series, `p(a, b, ...)` in parallel, an
 * element is its symbol followed by digits or underscores (R0, CPE1, Wo_2), names unique:
 *   circuit := series;  series := term ('-' term)*;  term := 'p(' series (',' series)+ ')' | element
 * Spaces are ignored. Errors name the column: `at column 7: expected an element ... found ","`.
 */
export const parseCircuit = (text: string): CircuitNode => {
  let i = 0;
  const skip = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const here = () => (i < text.length ? `"${text[i]}"` : 'the end');
  const fail = (expected: string): never => {
    throw new CircuitSyntaxError(text, i + 1, expected, here());
  };
  const names = new Map<string, number>();

  const element = (): CircuitNode => {
    skip();
    const start = i;
    while (i < text.length && /[A-Za-z]/.test(text[i])) i++;
    const symbol = text.slice(start, i);
    if (symbol === '') {
      i = start;
      return fail(`an element (${ELEMENT_LIST}) or p(...)`);
    }
    const type = ELEMENTS[symbol];
    if (!type) {
      i = start;
      throw new CircuitSyntaxError(text, start + 1, `an element (${ELEMENT_LIST}) or p(...)`, `"${symbol}"`);
    }
    while (i < text.length && /[0-9_]/.test(text[i])) i++;
    const name = text.slice(start, i);
    const seen = names.get(name);
    if (seen !== undefined)
      throw new CircuitSyntaxError(
        text,
        start + 1,
        `a new element name (${name} is already at column ${seen})`,
        `"${name}"`,
      );
    names.set(name, start + 1);
    return { kind: 'element', name, type, column: start + 1 };
  };

  const term = (): CircuitNode => {
    skip();
    if (
      text[i] === 'p' &&
      text
        .slice(i + 1)
        .trimStart()
        .startsWith('(')
    ) {
      i++;
      skip();
      i++; // '('
      const parts = [series()];
      skip();
      while (text[i] === ',') {
        i++;
        parts.push(series());
        skip();
      }
      if (text[i] !== ')') fail(parts.length < 2 ? '"," and a second branch of p(...)' : '"," or ")"');
      if (parts.length < 2) fail('"," and a second branch: p(...) joins at least two branches');
      i++;
      return { kind: 'parallel', parts };
    }
    return element();
  };

  const series = (): CircuitNode => {
    const parts = [term()];
    skip();
    while (text[i] === '-') {
      i++;
      parts.push(term());
      skip();
    }
    return parts.length === 1 ? parts[0] : { kind: 'series', parts };
  };

  skip();
  if (i >= text.length) fail('a circuit such as R0-p(R1,C1)');
  const root = series();
  skip();
  if (i < text.length) fail('"-" (series) or the end of the circuit');
  return root;
};

/** The elements in order of appearance (the order of the parameters). */
export const circuitElements = (node: CircuitNode): Extract<CircuitNode, { kind: 'element' }>[] =>
  node.kind === 'element' ? [node] : node.parts.flatMap(circuitElements);
