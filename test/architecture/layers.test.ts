/**
 * The layers of docs/architecture.md (from ../shared/DESIGN.md), enforced: every import in src/
 * points down the table below (the same table is in docs/architecture.md: keep the two in step),
 * and the module graph has no cycles. Imports are read with TypeScript's own parser, so comments,
 * strings and template text are never mistaken for imports.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SRC = join(REPO, 'src');

/**
 * Which other layers each layer (a folder of src/) may import. A table rather than a total order:
 * chemistry, forcefield and analysis need only core, and report must not reach into md even
 * though it sits above it. src/index.ts, the package root, may import everything.
 */
const ALLOWED: Record<string, { imports: string[]; why: string }> = {
  core: { imports: [], why: 'the bottom: units, elements, Lattice, Topology/Frame, errors, math' },
  io: { imports: ['core'], why: 'file formats read and write core Topology, Frame and Lattice' },
  chemistry: { imports: ['core'], why: 'stoichiometry and isotopes over core compositions; no geometry' },
  builders: {
    imports: ['core', 'chemistry'],
    why: 'mixtures are named and weighed by chemistry (LAOC names)',
  },
  forcefield: { imports: ['core'], why: 'force fields are data plus kernels over core Topology and Lattice' },
  md: {
    imports: ['core', 'io', 'forcefield'],
    why: 'integrates forcefield forces; protocols read settings and write trajectories through io',
  },
  engines: {
    imports: ['core', 'io', 'forcefield', 'md'],
    why: 'external engines run md protocols (same folders, stages, thermo.csv) with exported force fields',
  },
  analysis: { imports: ['core', 'io'], why: 'pure computations over frames; io at most for frame sources' },
  experiment: {
    imports: ['core', 'io', 'analysis'],
    why: 'measured data reuses the analysis fits (Arrhenius)',
  },
  study: {
    imports: ['core', 'io', 'chemistry', 'builders', 'forcefield', 'md', 'engines', 'analysis', 'experiment'],
    why: 'orchestrates build -> run -> analyse end to end, and sets measured sigma(T) beside it',
  },
  report: {
    imports: ['core', 'io', 'analysis', 'experiment', 'study'],
    why: 'draws result JSON and never computes physics, so no builders, forcefield, md or engines',
  },
  cli: {
    imports: 'core io chemistry builders forcefield md engines analysis experiment study report'.split(' '),
    why: 'the thin shell over the whole library',
  },
};
const ROOT = 'index.ts';

/**
 * Imports that break the table today, each to be removed (file -> imported file, from src/).
 * The test also fails when one of them is gone, so that the list cannot go stale.
 */
const KNOWN_EXCEPTIONS: { from: string; to: string; todo: string }[] = [];

interface ImportRef {
  line: number;
  spec: string;
  kind: 'static' | 'type' | 'dynamic' | 'worker';
}

/**
 * Every module a source file names: `import ... from`, `export ... from`, `import('...')` (in code
 * and in types), `new URL('./x.js', import.meta.url)` and `startWorker(import.meta.url, 'x', ...)`
 * (core/worker.ts's way to start a worker thread on the module x beside the caller).
 */
const importsOf = (fileName: string, text: string): ImportRef[] => {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const out: ImportRef[] = [];
  const add = (node: ts.Node, spec: string, kind: ImportRef['kind']) =>
    out.push({ line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, spec, kind });
  const isImportMetaUrl = (e: ts.Expression | undefined) =>
    e !== undefined && ts.isPropertyAccessExpression(e) && e.getText(sf) === 'import.meta.url';
  const visit = (n: ts.Node): void => {
    if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier) {
      if (ts.isStringLiteral(n.moduleSpecifier)) {
        const typeOnly = ts.isImportDeclaration(n) ? n.importClause?.isTypeOnly === true : n.isTypeOnly;
        add(n, n.moduleSpecifier.text, typeOnly ? 'type' : 'static');
      }
    } else if (ts.isImportTypeNode(n)) {
      if (ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal))
        add(n, n.argument.literal.text, 'type');
    } else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [a] = n.arguments;
      if (a && ts.isStringLiteralLike(a)) add(n, a.text, 'dynamic');
    } else if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'URL') {
      const [a, base] = n.arguments ?? [];
      if (a && ts.isStringLiteralLike(a) && isImportMetaUrl(base) && /\.[cm]?[jt]s$/.test(a.text))
        add(n, a.text, 'worker');
    } else if (
      ts.isCallExpression(n) &&
      ts.isIdentifier(n.expression) &&
      n.expression.text === 'startWorker'
    ) {
      const [base, name] = n.arguments;
      if (isImportMetaUrl(base) && name && ts.isStringLiteralLike(name))
        add(n, `./${name.text}.js`, 'worker');
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
};

/** Every cycle of a directed graph, each once, as a path that ends where it starts. */
const findCycles = (graph: Map<string, string[]>): string[][] => {
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const dfs = (u: string): void => {
    state.set(u, 'open');
    stack.push(u);
    for (const v of graph.get(u) ?? []) {
      if (state.get(v) === 'open') {
        const cycle = stack.slice(stack.indexOf(v));
        // the same cycle entered at another module is the same cycle
        const start = cycle.indexOf([...cycle].sort()[0]);
        const key = [...cycle.slice(start), ...cycle.slice(0, start)].join(' -> ');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push([...cycle, v]);
        }
      } else if (!state.has(v)) dfs(v);
    }
    stack.pop();
    state.set(u, 'done');
  };
  for (const u of [...graph.keys()].sort()) if (!state.has(u)) dfs(u);
  return cycles;
};

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );

/** src-relative path with forward slashes. */
const rel = (abs: string) => relative(SRC, abs).split(sep).join('/');
const layerOf = (srcRel: string) => (srcRel.includes('/') ? srcRel.split('/')[0] : srcRel);

interface Edge extends ImportRef {
  from: string;
  to: string;
}

const edges: Edge[] = [];
const unresolved: string[] = [];
const files = sourceFiles(SRC).map(rel).sort();
for (const from of files) {
  for (const ref of importsOf(from, readFileSync(join(SRC, from), 'utf8'))) {
    if (!ref.spec.startsWith('.')) continue; // packages and node: builtins
    const abs = resolve(dirname(join(SRC, from)), ref.spec).replace(/\.js$/, '.ts');
    const to = relative(SRC, abs).startsWith('..') ? relative(REPO, abs) : rel(abs);
    if (!existsSync(abs)) unresolved.push(`src/${from}:${ref.line}: '${ref.spec}' is not a file`);
    edges.push({ ...ref, from, to });
  }
}
const where = (e: Edge) => `src/${e.from}:${e.line}: ${e.kind} import '${e.spec}'`;

describe('layers (DESIGN.md)', () => {
  it('reads every kind of import', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../b.js';",
      "export * from './c.js';",
      "const d = await import('./d.js');",
      "let e: import('./e.js').E;",
      "const f = new URL('./f.js', import.meta.url);",
      "startWorker(import.meta.url, 'g', {});",
      "// import { x } from './not-an-import.js';",
      'const s = "import { y } from \'./not-either.js\'";',
      "const data = new URL('../../examples/x.cif', import.meta.url);",
    ].join('\n');
    expect(importsOf('x.ts', text).map((r) => `${r.line} ${r.kind} ${r.spec}`)).toEqual([
      '1 static ./a.js',
      '2 type ../b.js',
      '3 static ./c.js',
      '4 dynamic ./d.js',
      '5 type ./e.js',
      '6 worker ./f.js',
      '7 worker ./g.js',
    ]);
  });

  it('every import names a file there is', () => {
    expect(edges.length).toBeGreaterThan(100);
    expect(unresolved, unresolved.join('\n')).toEqual([]);
  });

  it('every folder of src/ is a layer in the table', () => {
    const unknown = [...new Set(files.map(layerOf))].filter((l) => l !== ROOT && !(l in ALLOWED));
    expect(unknown, `add these to ALLOWED in ${rel(fileURLToPath(import.meta.url))}`).toEqual([]);
  });

  it('imports point only to the layers the table allows', () => {
    const bad: string[] = [];
    for (const e of edges) {
      const from = layerOf(e.from);
      const to = layerOf(e.to);
      if (e.to.startsWith('..') || !e.to.includes('/')) {
        if (from !== ROOT) bad.push(`${where(e)}: outside src/ or the package root`);
      } else if (from !== ROOT && from !== to && !ALLOWED[from]?.imports.includes(to)) {
        const known = KNOWN_EXCEPTIONS.some((k) => k.from === e.from && k.to === e.to);
        const allowed = ALLOWED[from];
        if (!known)
          bad.push(
            `${where(e)}: ${from} may not import ${to} (${from} may import ${allowed.imports.join(', ') || 'nothing'}: ${allowed.why})`,
          );
      }
    }
    expect(bad, bad.join('\n')).toEqual([]);
  });

  it('the known exceptions are still there (remove them from the list when fixed)', () => {
    const gone = KNOWN_EXCEPTIONS.filter((k) => !edges.some((e) => e.from === k.from && e.to === k.to));
    expect(gone.map((k) => `${k.from} -> ${k.to}`)).toEqual([]);
  });

  it('no import cycles between modules', () => {
    // A worker thread loads its module into a fresh module graph, so a worker importing the module
    // that starts it is no cycle. Type-only imports count: they tie the modules just the same.
    const graph = new Map<string, string[]>(files.map((f) => [f, []]));
    for (const e of edges) if (e.kind !== 'worker') graph.get(e.from)!.push(e.to);
    const cycles = findCycles(graph).map((c) => c.map((f) => `src/${f}`).join(' -> '));
    expect(cycles, cycles.join('\n')).toEqual([]);
  });

  it('finds a cycle and reports its path', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', []],
    ]);
    expect(findCycles(g)).toEqual([['a', 'b', 'c', 'a']]);
  });
});
