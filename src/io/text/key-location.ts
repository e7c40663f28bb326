/**
 * The line and column of a key path in a JSON or TOML text, for errors about a value that parsed
 * but is not acceptable (a time step of 0, an unknown setting): JSON.parse and smol-toml give
 * positions only for syntax errors. A path is the keys and (0-based) array indices from the root:
 * ['stage', 1, 'steps']. The answer is the deepest part of the path found (a missing key gives its
 * table), or undefined when not even the first part is there.
 */
export type KeyPath = readonly (string | number)[];

export interface TextLocation {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

const locationOf = (text: string, offset: number): TextLocation => {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
};

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';

/** Offset just past the JSON string that starts (with its quote) at `i`. */
const skipJsonString = (text: string, i: number): number => {
  for (let k = i + 1; k < text.length; k++) {
    if (text[k] === '\\') k++;
    else if (text[k] === '"') return k + 1;
  }
  return text.length;
};

/** Offset just past the JSON value at `i` (iterative: deep nesting cannot overflow the stack). */
const skipJsonValue = (text: string, i: number): number => {
  let depth = 0;
  let k = i;
  while (k < text.length) {
    const c = text[k];
    if (c === '"') {
      k = skipJsonString(text, k);
      if (depth === 0) return k;
    } else if (c === '{' || c === '[') {
      depth++;
      k++;
    } else if (c === '}' || c === ']') {
      if (depth === 0) return k;
      depth--;
      k++;
      if (depth === 0) return k;
    } else if (depth === 0 && (c === ',' || isSpace(c))) return k;
    else k++;
  }
  return k;
};

/** Where `path` is in a JSON text: the key of an object member, the start of an array element. */
export const jsonKeyLocation = (text: string, path: KeyPath): TextLocation | undefined => {
  let best: number | undefined;
  let i = 0;
  const ws = () => {
    while (i < text.length && isSpace(text[i])) i++;
  };
  ws();
  for (const part of path) {
    const open = text[i];
    if (typeof part === 'string' && open === '{') {
      i++;
      let found = false;
      for (;;) {
        ws();
        if (text[i] !== '"') return best === undefined ? undefined : locationOf(text, best);
        const keyStart = i;
        i = skipJsonString(text, i);
        const key = safeJsonString(text.slice(keyStart, i));
        ws();
        if (text[i] === ':') i++;
        ws();
        if (key === part) {
          best = keyStart;
          found = true;
          break;
        }
        i = skipJsonValue(text, i);
        ws();
        if (text[i] === ',') i++;
        else break;
      }
      if (!found) break;
    } else if (typeof part === 'number' && open === '[') {
      i++;
      let k = 0;
      ws();
      while (k < part && i < text.length && text[i] !== ']') {
        i = skipJsonValue(text, i);
        ws();
        if (text[i] === ',') i++;
        ws();
        k++;
      }
      if (k !== part || text[i] === ']') break;
      best = i;
    } else break;
  }
  return best === undefined ? undefined : locationOf(text, best);
};

const safeJsonString = (s: string): string | undefined => {
  try {
    return JSON.parse(s) as string;
  } catch {
    return undefined;
  }
};

/** A TOML key (bare or quoted) split on dots: 'a."b.c".d' -> ['a', 'b.c', 'd']. */
const tomlKeyParts = (s: string): string[] => {
  const parts: string[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*(\.|$)/y;
  let m: RegExpExecArray | null;
  while (re.lastIndex < s.length && (m = re.exec(s)) !== null) {
    parts.push(m[1] ?? m[2] ?? m[3]);
    if (m[4] === '') break;
  }
  return parts;
};

/**
 * Where `path` is in a TOML text: the line of `key = ...` (dotted keys too) under its [table] or
 * [[array of tables]] header; a table or array element itself is its header line. A line scan,
 * not a parser: it runs on text that smol-toml has already accepted, so it only has to follow
 * headers and keys and step over multi-line strings and arrays.
 */
export const tomlKeyLocation = (text: string, path: KeyPath): TextLocation | undefined => {
  const where = new Map<string, TextLocation>();
  const arrayCounts = new Map<string, number>();
  let table: (string | number)[] = [];
  const lines = text.split('\n');
  let inString: '"""' | "'''" | undefined;
  let bracketDepth = 0;
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li];
    if (inString) {
      if (line.includes(inString)) inString = undefined;
      continue;
    }
    if (bracketDepth > 0) {
      bracketDepth += depthChange(line);
      continue;
    }
    const indent = line.length - line.trimStart().length;
    const t = line.trim();
    if (t === '' || t.startsWith('#')) continue;
    const header = /^\[\[\s*(.+?)\s*\]\]/.exec(t) ?? /^\[\s*(.+?)\s*\]/.exec(t);
    if (header) {
      const keys = tomlKeyParts(header[1]);
      if (t.startsWith('[[')) {
        const name = JSON.stringify(keys);
        const k = arrayCounts.get(name) ?? 0;
        arrayCounts.set(name, k + 1);
        table = [...keys, k];
        if (!where.has(name)) where.set(name, { line: li + 1, column: indent + 1 });
      } else table = keys;
      where.set(JSON.stringify(table), { line: li + 1, column: indent + 1 });
      continue;
    }
    const eq = keyValueSplit(t);
    if (eq < 0) continue;
    const keys = tomlKeyParts(t.slice(0, eq));
    const full = JSON.stringify([...table, ...keys]);
    if (!where.has(full)) where.set(full, { line: li + 1, column: indent + 1 });
    const value = t.slice(eq + 1).trim();
    for (const q of ['"""', "'''"] as const) if (value.startsWith(q) && value.indexOf(q, 3) < 0) inString = q;
    if (!inString) bracketDepth = Math.max(0, depthChange(value));
  }
  for (let n = path.length; n > 0; n--) {
    const hit = where.get(JSON.stringify(path.slice(0, n)));
    if (hit) return hit;
  }
  return undefined;
};

/** Offset of the '=' of a `key = value` line (outside quoted keys), or -1. */
const keyValueSplit = (t: string): number => {
  let quote: string | undefined;
  for (let i = 0; i < t.length; i++) {
    const c = t[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '=') return i;
  }
  return -1;
};

/** Open minus closed brackets of a value line (strings and comments skipped), for multi-line arrays. */
const depthChange = (s: string): number => {
  let d = 0;
  let quote: string | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') break;
    else if (c === '[' || c === '{') d++;
    else if (c === ']' || c === '}') d--;
  }
  return d;
};
