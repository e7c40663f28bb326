import { OligolyteError, OptionError } from '../../core/errors.js';
import type { Frame } from '../../core/frame.js';
import type { Topology } from '../../core/topology.js';
import { fsToPs } from '../../core/units.js';
import { forEachNeighbour } from './neighbours.js';
import { parseElementPair } from './rdf.js';

/**
 * The bonded topology of a run, frame by frame: which Al-O and Al-Cl bonds exist, which units
 * (connected components) they make, a census of those units (intact oligomers, bridging Cl,
 * AlCl4-, free Cl-, polymerised chains) and the list of bond events, with a verdict: "all
 * oligomers intact", or the first event that broke one.
 *
 * Bonds come from distances with hysteresis: a pair bonds when it comes within its cut-off
 * (default Al-O 2.1 A, Al-Cl 2.6 A: about 20 % above the bonds of SCIENCE.md section 1) and
 * unbonds only when it moves beyond the cut-off plus `hysteresisA` (default 0.3 A), so a bond
 * stretched by a vibration near the cut-off does not flicker. At the first frame a pair is bonded
 * when within its cut-off. Distances are to the nearest periodic image.
 *
 * Units: connected components over the bonds, among the atoms of the elements that the cut-offs
 * name (Al, O, Cl; Li and other cations are not part of any unit). The oligomers are the units of
 * the first frame with two or more Al (the `centre` element); a starting oligomer is intact in a
 * frame when its atoms form exactly one unit, alone (a Cl moving within its own oligomer from
 * terminal to bridging keeps it intact; a Cl bridge to another oligomer, a lost Cl or a new
 * Al-O-Al link to another unit does not).
 *
 * Memory: the bonds of one frame (a few per Al), the census (11 numbers per frame) and the events
 * (up to `maxEvents`, all counted).
 */

/** Default bond cut-offs (A) for unordered element pairs: the LAOC Al-O and Al-Cl bonds. */
export const DEFAULT_BOND_CUTOFFS_A: Readonly<Record<string, number>> = { 'Al-O': 2.1, 'Al-Cl': 2.6 };
/** Default hysteresis (A): a bond breaks beyond its cut-off plus this. */
export const DEFAULT_BOND_HYSTERESIS_A = 0.3;

export interface BondRuleOptions {
  /** Cut-offs (A) to form a bond, per unordered element pair 'Al-O'; default DEFAULT_BOND_CUTOFFS_A (replaced, not merged). */
  bondCutoffsA?: Readonly<Record<string, number>>;
  /** A bond breaks when its length exceeds its cut-off plus this (A, >= 0; default 0.3). */
  hysteresisA?: number;
}

export interface BondedTopologyOptions extends BondRuleOptions {
  /** Element whose count defines oligomers (units with >= 2 of it) and chains; default 'Al'. */
  centre?: string;
  /** Events kept in the result (all are counted); default 10000. */
  maxEvents?: number;
  /** Time between frames (fs), for event times; default: each frame's own time when it has one. */
  frameIntervalFs?: number;
}

/** A bond made or broken. Atom indices are 0-based. */
export interface BondEvent {
  /** Frame (0-based) at which the change is first seen. */
  frame: number;
  /** Time of that frame (fs); NaN when the frames carry no time and no interval was given. */
  timeFs: number;
  kind: 'made' | 'broken';
  /** The two atoms, the lower index first. */
  i: number;
  j: number;
  /** 'Al-O', in the cut-off's spelling. */
  pair: string;
  /** Nearest-image distance at that frame (A). */
  distanceA: number;
  /** Index (in `oligomers`) of the starting oligomer of i and of j; -1 when not in one. */
  oligomerI: number;
  oligomerJ: number;
}

/** Units and the census per frame (arrays over frames). */
export interface TopologyCensus {
  /** Units (connected components of the bonded elements, single atoms included). */
  units: Int32Array;
  /** Starting oligomers whose atoms are still one unit, alone. */
  intact: Int32Array;
  /** Units with the composition (formula) of a starting oligomer. */
  startingComposition: Int32Array;
  /** Units with >= 2 centre atoms (oligomers, any composition). */
  oligomers: Int32Array;
  /** Cl bonded to two or more centre atoms, in all units, and per oligomer unit (mean). */
  bridgingCl: Int32Array;
  bridgingClPerOligomer: Float64Array;
  /** AlCl4- units (1 centre, 4 Cl, nothing else). */
  tetrachloro: Int32Array;
  /** Cl with no bond (free Cl-). */
  freeCl: Int32Array;
  /** Units with more centre atoms than any starting oligomer. */
  polymerised: Int32Array;
  /** Centre atoms in the largest unit. */
  largestCentre: Int32Array;
  /** Bonds per frame. */
  bonds: Int32Array;
}

export interface UnitKind {
  /** 'Al3O2Cl8' (elements in the order of the cut-off pairs). */
  formula: string;
  /** Centre atoms in it. */
  centre: number;
  /** Units of this formula per frame: mean, least, most, and frames in which it appears. */
  meanCount: number;
  minCount: number;
  maxCount: number;
  framesPresent: number;
}

export interface BondedTopologyResult {
  frames: number;
  centre: string;
  /** Rules used: pair, cut-off to form and distance to break (A). */
  rules: { pair: string; formA: number; breakA: number }[];
  hysteresisA: number;
  /** Frame times (fs) or NaN. */
  timesFs: Float64Array;
  /** The starting oligomers: formula and atoms (0-based). */
  oligomers: { formula: string; atoms: number[] }[];
  /** Bonds at the first and the last frame. */
  bondsFirst: number;
  bondsLast: number;
  census: TopologyCensus;
  /** Every formula seen, with its counts per frame. */
  unitKinds: UnitKind[];
  /** Events kept (the first `maxEvents`) and how many there were. */
  events: BondEvent[];
  eventCount: number;
  eventsTruncated: boolean;
  verdict: {
    /** True when every starting oligomer is intact in every frame. */
    intact: boolean;
    /** "all 8 oligomers intact over 1001 frames (0 bond events)" or the first break. */
    text: string;
    /** First frame in which a starting oligomer is not intact. */
    firstBrokenFrame?: number;
    /** The event that did it (the first event at that frame touching that oligomer). */
    firstEvent?: BondEvent;
    /** Starting oligomers intact in every frame. */
    intactThroughout: number;
  };
}

/** A bond rule table over a topology's species: form and break distances (squared), NaN for no rule. */
export interface BondRules {
  pairs: { pair: string; a: string; b: string; formA: number; breakA: number }[];
  /** Elements named by the rules, in order of first mention. */
  elements: string[];
  /** Per species pair (speciesIndex a * nspecies + b): form / break distance squared, NaN if none. */
  form2: Float64Array;
  break2: Float64Array;
  /** Largest break distance (A): the neighbour search cut-off. */
  reachA: number;
  /** Atoms of the rules' elements. */
  atoms: Int32Array;
  /**
   * When every rule pairs one hub element with others (Al-O, Al-Cl), the search runs from the hub
   * atoms to the partner atoms only (no O-O, Cl-Cl pairs visited): hub and partner atoms.
   */
  hub?: { centres: Int32Array; others: Int32Array };
}

/** Build the rule table of `options` for `topology` (elements absent from the run are kept but match nothing). */
export const bondRules = (topology: Topology, options: BondRuleOptions = {}): BondRules => {
  const cutoffs = options.bondCutoffsA ?? DEFAULT_BOND_CUTOFFS_A;
  const h = options.hysteresisA ?? DEFAULT_BOND_HYSTERESIS_A;
  if (!(h >= 0 && Number.isFinite(h)))
    throw new OptionError(`\`hysteresisA\` must be a distance >= 0, got ${h}`, { option: 'hysteresisA' });
  const keys = Object.keys(cutoffs);
  if (keys.length === 0)
    throw new OptionError('`bondCutoffsA` names no element pair', { option: 'bondCutoffsA' });
  const ns = topology.elements.length;
  const form2 = new Float64Array(ns * ns).fill(Number.NaN);
  const break2 = new Float64Array(ns * ns).fill(Number.NaN);
  const elements: string[] = [];
  const pairs: BondRules['pairs'] = [];
  let reach = 0;
  for (const key of keys) {
    const [a, b] = parseElementPair(key, 'bondCutoffsA', 'Al-O');
    const r = cutoffs[key];
    if (!(r > 0 && Number.isFinite(r)))
      throw new OptionError(`\`bondCutoffsA\`: ${key} cut-off ${r} A must be a positive distance`, {
        option: 'bondCutoffsA',
      });
    for (const e of [a, b]) if (!elements.includes(e)) elements.push(e);
    pairs.push({ pair: key, a, b, formA: r, breakA: r + h });
    reach = Math.max(reach, r + h);
    const ia = topology.elements.indexOf(a);
    const ib = topology.elements.indexOf(b);
    if (ia < 0 || ib < 0) continue;
    form2[ia * ns + ib] = form2[ib * ns + ia] = r * r;
    break2[ia * ns + ib] = break2[ib * ns + ia] = (r + h) ** 2;
  }
  const list: number[] = [];
  const named = new Set(elements);
  for (let i = 0; i < topology.natoms; i++) if (named.has(topology.symbol(i))) list.push(i);
  const rules: BondRules = { pairs, elements, form2, break2, reachA: reach, atoms: Int32Array.from(list) };
  const hubElement = elements.find((e) => pairs.every((p) => (p.a === e) !== (p.b === e)));
  if (hubElement) {
    const centres: number[] = [];
    const others: number[] = [];
    for (const i of list) (topology.symbol(i) === hubElement ? centres : others).push(i);
    rules.hub = { centres: Int32Array.from(centres), others: Int32Array.from(others) };
  }
  return rules;
};

/**
 * The bonds of one frame by distance alone (no hysteresis): pairs within their cut-off, nearest
 * image. Returns atom pairs (lower index first, sorted) and their distances (A).
 */
export const bondsByDistance = (
  topology: Topology,
  frame: Frame,
  options: BondRuleOptions = {},
): { bonds: Uint32Array; distancesA: Float64Array } => {
  const rules = bondRules(topology, options);
  const found = new Map<number, number>();
  const n = topology.natoms;
  const ns = topology.elements.length;
  const sp = topology.speciesIndex;
  nearestPairs(rules, frame, (i, j, r2) => {
    if (r2 <= rules.form2[sp[i] * ns + sp[j]]) {
      const key = i < j ? i * n + j : j * n + i;
      const old = found.get(key);
      if (old === undefined || r2 < old) found.set(key, r2);
    }
  });
  const keys = [...found.keys()].sort((x, y) => x - y);
  const bonds = new Uint32Array(2 * keys.length);
  const distancesA = new Float64Array(keys.length);
  keys.forEach((key, k) => {
    bonds[2 * k] = Math.floor(key / n);
    bonds[2 * k + 1] = key % n;
    distancesA[k] = Math.sqrt(found.get(key)!);
  });
  return { bonds, distancesA };
};

/** Visit each pair of rule atoms within the rules' reach (once per periodic image; hub first when there is one). */
const nearestPairs = (rules: BondRules, frame: Frame, visit: (i: number, j: number, r2: number) => void) => {
  if (rules.atoms.length === 0) return;
  const query = { positions: frame.positions, lattice: frame.lattice, cutoff: rules.reachA };
  if (rules.hub) forEachNeighbour({ ...query, ...rules.hub }, visit);
  else
    forEachNeighbour({ ...query, centres: rules.atoms, others: rules.atoms, half: true }, (i, j, r2) => {
      if (i !== j) visit(i, j, r2);
    });
};

/** Union-find with path halving over atom indices. */
const findRoot = (parent: Int32Array, i: number): number => {
  while (parent[i] !== i) {
    parent[i] = parent[parent[i]];
    i = parent[i];
  }
  return i;
};

/**
 * Connected components of `atoms` over `bonds` (pairs of atom indices): a label per atom (the
 * smallest atom index of its unit; -1 for atoms not listed).
 */
export const bondedUnits = (
  natoms: number,
  atoms: ArrayLike<number>,
  bonds: ArrayLike<number>,
): Int32Array => {
  const parent = new Int32Array(natoms).fill(-1);
  for (let k = 0; k < atoms.length; k++) parent[atoms[k]] = atoms[k];
  for (let b = 0; b < bonds.length; b += 2) {
    const x = findRoot(parent, bonds[b]);
    const y = findRoot(parent, bonds[b + 1]);
    if (x !== y) {
      if (x < y) parent[y] = x;
      else parent[x] = y;
    }
  }
  const label = new Int32Array(natoms).fill(-1);
  for (let k = 0; k < atoms.length; k++) label[atoms[k]] = findRoot(parent, atoms[k]);
  // Make each label the smallest index of its unit.
  const smallest = new Map<number, number>();
  for (let k = 0; k < atoms.length; k++) {
    const r = label[atoms[k]];
    const s = smallest.get(r);
    if (s === undefined || atoms[k] < s) smallest.set(r, atoms[k]);
  }
  for (let k = 0; k < atoms.length; k++) label[atoms[k]] = smallest.get(label[atoms[k]])!;
  return label;
};

/** Grows a typed array as values are pushed. */
class Column<T extends Int32Array | Float64Array> {
  length = 0;
  constructor(public data: T) {}
  push(v: number) {
    if (this.length === this.data.length) {
      const bigger = new (this.data.constructor as new (n: number) => T)(Math.max(64, 2 * this.data.length));
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
  done(): T {
    return this.data.slice(0, this.length) as T;
  }
}

/**
 * Accumulator of the bonded topology over a run: push every frame (same atoms), then result().
 */
export class BondedTopologyAccumulator {
  private readonly topology: Topology;
  private readonly rules: BondRules;
  private readonly centre: string;
  private readonly centreSpecies: number;
  private readonly clSpecies: number;
  private readonly maxEvents: number;
  private readonly intervalFs?: number;
  private readonly hysteresisA: number;
  /** Current bonds: key i * n + j (i < j) -> distance^2. */
  private bonds = new Map<number, number>();
  private count = 0;
  private readonly times = new Column(new Float64Array(64));
  private readonly columns = {
    units: new Column(new Int32Array(64)),
    intact: new Column(new Int32Array(64)),
    startingComposition: new Column(new Int32Array(64)),
    oligomers: new Column(new Int32Array(64)),
    bridgingCl: new Column(new Int32Array(64)),
    bridgingClPerOligomer: new Column(new Float64Array(64)),
    tetrachloro: new Column(new Int32Array(64)),
    freeCl: new Column(new Int32Array(64)),
    polymerised: new Column(new Int32Array(64)),
    largestCentre: new Column(new Int32Array(64)),
    bonds: new Column(new Int32Array(64)),
  };
  private readonly kinds = new Map<
    string,
    { centre: number; sum: number; min: number; max: number; frames: number }
  >();
  private oligomers: { formula: string; atoms: number[] }[] = [];
  /** Starting oligomer of each atom, -1 if none. */
  private oligomerOf?: Int32Array;
  private startingFormulas = new Set<string>();
  private maxStartingCentre = 1;
  private readonly events: BondEvent[] = [];
  private eventCount = 0;
  private bondsFirst = 0;
  private everIntact?: Uint8Array;
  private firstBroken?: { frame: number; event?: BondEvent };
  /** Element order for formulas. */
  private readonly formulaOrder: number[];

  constructor(topology: Topology, options: BondedTopologyOptions = {}) {
    this.topology = topology;
    this.rules = bondRules(topology, options);
    this.hysteresisA = options.hysteresisA ?? DEFAULT_BOND_HYSTERESIS_A;
    this.centre = options.centre ?? 'Al';
    const present = this.rules.elements.filter((e) => topology.elements.includes(e));
    if (!topology.elements.includes(this.centre))
      throw new OligolyteError(
        `no ${this.centre} atoms in the run (it has ${topology.elements.join(', ')}): the bonded topology needs them`,
        { option: 'centre' },
      );
    if (present.length < 2 && !this.rules.pairs.some((p) => p.a === p.b && present.includes(p.a)))
      throw new OligolyteError(
        `the run has none of the atoms the bond cut-offs pair with ${this.centre} (${this.rules.elements.filter((e) => e !== this.centre).join(', ')}; it has ${topology.elements.join(', ')})`,
        { option: 'bondCutoffsA' },
      );
    this.centreSpecies = topology.elements.indexOf(this.centre);
    this.clSpecies = topology.elements.indexOf('Cl');
    this.maxEvents = options.maxEvents ?? 10000;
    if (options.frameIntervalFs !== undefined && !(options.frameIntervalFs > 0))
      throw new OptionError(`\`frameIntervalFs\` must be positive, got ${options.frameIntervalFs}`, {
        option: 'frameIntervalFs',
      });
    this.intervalFs = options.frameIntervalFs;
    this.formulaOrder = this.rules.elements.map((e) => topology.elements.indexOf(e)).filter((k) => k >= 0);
  }

  get frames(): number {
    return this.count;
  }

  push(frame: Frame): void {
    const topo = this.topology;
    const n = topo.natoms;
    if (frame.positions.length !== 3 * n)
      throw new OligolyteError(
        `frame ${this.count} has ${frame.positions.length / 3} atoms; the run started with ${n}`,
      );
    const ns = topo.elements.length;
    const sp = topo.speciesIndex;
    const { form2, break2 } = this.rules;
    const time = this.intervalFs !== undefined ? this.count * this.intervalFs : (frame.timeFs ?? Number.NaN);
    // Nearest-image distance^2 of every rule pair within reach.
    const near = new Map<number, number>();
    nearestPairs(this.rules, frame, (i, j, r2) => {
      if (Number.isNaN(break2[sp[i] * ns + sp[j]])) return;
      const key = i < j ? i * n + j : j * n + i;
      const old = near.get(key);
      if (old === undefined || r2 < old) near.set(key, r2);
    });
    const next = new Map<number, number>();
    const changes: { key: number; kind: 'made' | 'broken'; r2: number }[] = [];
    const first = this.count === 0;
    for (const [key, r2] of near) {
      const i = Math.floor(key / n);
      const j = key - i * n;
      const t = sp[i] * ns + sp[j];
      const was = this.bonds.has(key);
      if (was ? r2 <= break2[t] : r2 <= form2[t]) {
        next.set(key, r2);
        if (!was && !first) changes.push({ key, kind: 'made', r2 });
      }
    }
    if (!first)
      for (const key of this.bonds.keys())
        if (!next.has(key))
          changes.push({ key, kind: 'broken', r2: near.get(key) ?? this.distance2(frame, key) });
    this.bonds = next;

    const bondList = new Uint32Array(2 * next.size);
    let b = 0;
    for (const key of next.keys()) {
      const i = Math.floor(key / n);
      bondList[b++] = i;
      bondList[b++] = key - i * n;
    }
    const label = bondedUnits(n, this.rules.atoms, bondList);
    if (first) this.startOligomers(label);

    // Events, in a stable order (by pair).
    changes.sort((x, y) => x.key - y.key);
    const frameEvents: BondEvent[] = [];
    for (const c of changes) {
      const i = Math.floor(c.key / n);
      const j = c.key - i * n;
      const ev: BondEvent = {
        frame: this.count,
        timeFs: time,
        kind: c.kind,
        i,
        j,
        pair: this.pairName(i, j),
        distanceA: Math.sqrt(c.r2),
        oligomerI: this.oligomerOf![i],
        oligomerJ: this.oligomerOf![j],
      };
      frameEvents.push(ev);
      this.eventCount++;
      if (this.events.length < this.maxEvents) this.events.push(ev);
    }
    this.census(label, next, frameEvents);
    this.times.push(time);
    if (first) this.bondsFirst = next.size;
    this.count++;
  }

  private pairName(i: number, j: number): string {
    const a = this.topology.symbol(i);
    const c = this.topology.symbol(j);
    const p = this.rules.pairs.find((r) => (r.a === a && r.b === c) || (r.a === c && r.b === a));
    return p ? p.pair : `${a}-${c}`;
  }

  private distance2(frame: Frame, key: number): number {
    const n = this.topology.natoms;
    const i = Math.floor(key / n);
    const j = key - i * n;
    const x = frame.positions;
    const d = new Float64Array([
      x[3 * j] - x[3 * i],
      x[3 * j + 1] - x[3 * i + 1],
      x[3 * j + 2] - x[3 * i + 2],
    ]);
    return frame.lattice ? frame.lattice.minimumImage(d) : d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
  }

  private formulaOf(counts: Int32Array): string {
    let s = '';
    for (const k of this.formulaOrder) {
      const c = counts[k];
      if (c > 0) s += c === 1 ? this.topology.elements[k] : `${this.topology.elements[k]}${c}`;
    }
    return s;
  }

  /** Units of a labelled frame: per label, its element counts. */
  private unitsOf(label: Int32Array): Map<number, Int32Array> {
    const units = new Map<number, Int32Array>();
    const ns = this.topology.elements.length;
    const sp = this.topology.speciesIndex;
    for (const i of this.rules.atoms) {
      let c = units.get(label[i]);
      if (!c) {
        c = new Int32Array(ns);
        units.set(label[i], c);
      }
      c[sp[i]]++;
    }
    return units;
  }

  private startOligomers(label: Int32Array): void {
    const units = this.unitsOf(label);
    const members = new Map<number, number[]>();
    for (const i of this.rules.atoms) {
      const l = label[i];
      if (units.get(l)![this.centreSpecies] < 2) continue;
      let m = members.get(l);
      if (!m) {
        m = [];
        members.set(l, m);
      }
      m.push(i);
    }
    this.oligomerOf = new Int32Array(this.topology.natoms).fill(-1);
    const labels = [...members.keys()].sort((a, b) => a - b);
    this.oligomers = labels.map((l, k) => {
      for (const i of members.get(l)!) this.oligomerOf![i] = k;
      return { formula: this.formulaOf(units.get(l)!), atoms: members.get(l)! };
    });
    this.startingFormulas = new Set(this.oligomers.map((o) => o.formula));
    this.maxStartingCentre = 1;
    for (const l of labels)
      this.maxStartingCentre = Math.max(this.maxStartingCentre, units.get(l)![this.centreSpecies]);
    this.everIntact = new Uint8Array(this.oligomers.length).fill(1);
  }

  private census(label: Int32Array, bonds: Map<number, number>, frameEvents: BondEvent[]): void {
    const topo = this.topology;
    const n = topo.natoms;
    const sp = topo.speciesIndex;
    const units = this.unitsOf(label);
    const ns = topo.elements.length;
    // Centre neighbours of each Cl, for bridging Cl.
    const centreBonds = new Int32Array(n);
    const anyBond = new Uint8Array(n);
    for (const key of bonds.keys()) {
      const i = Math.floor(key / n);
      const j = key - i * n;
      anyBond[i] = anyBond[j] = 1;
      if (sp[i] === this.centreSpecies) centreBonds[j]++;
      if (sp[j] === this.centreSpecies) centreBonds[i]++;
    }
    let bridging = 0;
    let bridgingInOligomers = 0;
    let free = 0;
    for (const i of this.rules.atoms) {
      if (sp[i] !== this.clSpecies) continue;
      if (!anyBond[i]) free++;
      if (centreBonds[i] >= 2) {
        bridging++;
        if (units.get(label[i])![this.centreSpecies] >= 2) bridgingInOligomers++;
      }
    }
    let oligomers = 0;
    let tetrachloro = 0;
    let polymerised = 0;
    let starting = 0;
    let largest = 0;
    const seen = new Map<string, number>();
    for (const c of units.values()) {
      const nc = c[this.centreSpecies];
      largest = Math.max(largest, nc);
      if (nc >= 2) oligomers++;
      if (nc > this.maxStartingCentre) polymerised++;
      let atoms = 0;
      for (let k = 0; k < ns; k++) atoms += c[k];
      if (nc === 1 && this.clSpecies >= 0 && c[this.clSpecies] === 4 && atoms === 5) tetrachloro++;
      const f = this.formulaOf(c);
      if (this.startingFormulas.has(f)) starting++;
      seen.set(f, (seen.get(f) ?? 0) + 1);
      if (!this.kinds.has(f))
        this.kinds.set(f, { centre: nc, sum: 0, min: this.count === 0 ? Infinity : 0, max: 0, frames: 0 });
    }
    for (const [f, k] of this.kinds) {
      const c = seen.get(f) ?? 0;
      k.sum += c;
      k.min = Math.min(k.min, c);
      k.max = Math.max(k.max, c);
      if (c > 0) k.frames++;
    }
    // Intact: every atom of the starting oligomer in one unit of exactly its size.
    const size = new Map<number, number>();
    for (const i of this.rules.atoms) size.set(label[i], (size.get(label[i]) ?? 0) + 1);
    let intact = 0;
    for (const [k, o] of this.oligomers.entries()) {
      const l = label[o.atoms[0]];
      let whole = size.get(l) === o.atoms.length;
      for (let a = 1; whole && a < o.atoms.length; a++) if (label[o.atoms[a]] !== l) whole = false;
      if (whole) intact++;
      else if (this.everIntact![k]) {
        this.everIntact![k] = 0;
        if (!this.firstBroken)
          this.firstBroken = {
            frame: this.count,
            event: frameEvents.find((e) => e.oligomerI === k || e.oligomerJ === k),
          };
      }
    }
    const col = this.columns;
    col.units.push(units.size);
    col.intact.push(intact);
    col.startingComposition.push(starting);
    col.oligomers.push(oligomers);
    col.bridgingCl.push(bridging);
    col.bridgingClPerOligomer.push(oligomers > 0 ? bridgingInOligomers / oligomers : Number.NaN);
    col.tetrachloro.push(tetrachloro);
    col.freeCl.push(free);
    col.polymerised.push(polymerised);
    col.largestCentre.push(largest);
    col.bonds.push(bonds.size);
  }

  result(): BondedTopologyResult {
    if (this.count === 0) throw new OptionError('the run has no frames');
    const c = this.columns;
    const census: TopologyCensus = {
      units: c.units.done(),
      intact: c.intact.done(),
      startingComposition: c.startingComposition.done(),
      oligomers: c.oligomers.done(),
      bridgingCl: c.bridgingCl.done(),
      bridgingClPerOligomer: c.bridgingClPerOligomer.done(),
      tetrachloro: c.tetrachloro.done(),
      freeCl: c.freeCl.done(),
      polymerised: c.polymerised.done(),
      largestCentre: c.largestCentre.done(),
      bonds: c.bonds.done(),
    };
    const unitKinds: UnitKind[] = [...this.kinds.entries()]
      .map(([formula, k]) => ({
        formula,
        centre: k.centre,
        meanCount: k.sum / this.count,
        minCount: k.min === Infinity ? 0 : k.min,
        maxCount: k.max,
        framesPresent: k.frames,
      }))
      .sort((a, b) => b.centre - a.centre || b.meanCount - a.meanCount || a.formula.localeCompare(b.formula));
    const nOlig = this.oligomers.length;
    const intactThroughout = this.everIntact ? this.everIntact.reduce((s, v) => s + v, 0) : 0;
    const intact = !this.firstBroken;
    const timesFs = this.times.done();
    let text: string;
    if (nOlig === 0)
      text = `no oligomers (units with two or more ${this.centre}) in the first frame; ${this.eventCount} bond events over ${this.count} frames`;
    else if (intact) {
      const other =
        this.eventCount > 0 ? `; ${this.eventCount} bond events left them whole` : ' (0 bond events)';
      text = `all ${nOlig} oligomers intact over ${this.count} frames${other}`;
    } else {
      const fb = this.firstBroken!;
      const when = Number.isFinite(timesFs[fb.frame]) ? ` at ${formatPs(timesFs[fb.frame])} ps` : '';
      const ev = fb.event;
      const what = ev
        ? `${ev.pair} bond ${ev.i + 1}-${ev.j + 1} ${ev.kind} at ${ev.distanceA.toFixed(3)} A`
        : 'its atoms split or joined another unit';
      text = `not intact: first in frame ${fb.frame}${when}: ${what}; ${nOlig - intactThroughout} of ${nOlig} oligomers broken at some point, ${this.eventCount} bond events`;
    }
    return {
      frames: this.count,
      centre: this.centre,
      rules: this.rules.pairs.map((p) => ({ pair: p.pair, formA: p.formA, breakA: p.breakA })),
      hysteresisA: this.hysteresisA,
      timesFs,
      oligomers: this.oligomers,
      bondsFirst: this.bondsFirst,
      bondsLast: this.bonds.size,
      census,
      unitKinds,
      events: this.events,
      eventCount: this.eventCount,
      eventsTruncated: this.eventCount > this.events.length,
      verdict: {
        intact: nOlig > 0 && intact,
        text,
        firstBrokenFrame: this.firstBroken?.frame,
        firstEvent: this.firstBroken?.event,
        intactThroughout,
      },
    };
  }
}

const formatPs = (fs: number) => String(Number(fsToPs(fs).toPrecision(6)));

/** The bonded topology of a sequence of frames (same atoms). */
export const bondedTopology = (
  topology: Topology,
  frames: Iterable<Frame>,
  options: BondedTopologyOptions = {},
): BondedTopologyResult => {
  const acc = new BondedTopologyAccumulator(topology, options);
  for (const f of frames) acc.push(f);
  return acc.result();
};

/**
 * The intactness check the force-field calibration uses (calibration/intact.ts): for every frame,
 * every given bond within `maxStrain` (default 25 %) of its rest length, and no atom of
 * `foreignElements` (default O, Cl) that is not bonded to an Al within `foreignCutoffA` (default
 * 2.6 A) of it. The bonds and rest lengths come from the caller (a typed force field), so this
 * check knows nothing about force fields; the closest foreign contact is reported when it is
 * within `searchA` (default 4 A), else as Infinity.
 */
export interface IntactnessOptions {
  /** Bonds: atom index pairs. */
  bonds: ArrayLike<number>;
  /** Rest length of each bond (A). */
  restLengthsA: ArrayLike<number>;
  /** Largest allowed |r / r0 - 1| (default 0.25). */
  maxStrain?: number;
  /** Centre element (default 'Al') and the elements that must not approach it unbonded (default O, Cl). */
  centre?: string;
  foreignElements?: readonly string[];
  /** A foreign atom closer than this (A) is a contact (default 2.6). */
  foreignCutoffA?: number;
  /** Distance up to which the closest foreign atom is looked for (A, default 4). */
  searchA?: number;
}

export interface IntactnessResult {
  frames: number;
  /** Largest |r / r0 - 1| over bonds and frames. */
  worstBondStrain: number;
  /** Closest non-bonded foreign atom to a centre (A); Infinity if none within searchA. */
  closestForeignA: number;
  /** Foreign contacts counted over all frames. */
  foreignContacts: number;
  /** Both criteria met in every frame. */
  intact: boolean;
}

export class IntactnessCheck {
  private readonly topology: Topology;
  private readonly bonds: Uint32Array;
  private readonly rest: Float64Array;
  private readonly maxStrain: number;
  private readonly cutoff: number;
  private readonly search: number;
  private readonly centres: Int32Array;
  private readonly foreign: Int32Array;
  private readonly bonded = new Set<number>();
  private count = 0;
  private worst = 0;
  private closest = Number.POSITIVE_INFINITY;
  private contacts = 0;
  private readonly d = new Float64Array(3);

  constructor(topology: Topology, options: IntactnessOptions) {
    this.topology = topology;
    const n = topology.natoms;
    this.bonds = Uint32Array.from(options.bonds);
    this.rest = Float64Array.from(options.restLengthsA);
    if (this.bonds.length !== 2 * this.rest.length)
      throw new OptionError(`${this.bonds.length / 2} bonds for ${this.rest.length} rest lengths`, {
        option: 'restLengthsA',
      });
    for (const i of this.bonds) if (i >= n) throw new RangeError(`bond atom ${i} is outside 0..${n - 1}`);
    this.maxStrain = options.maxStrain ?? 0.25;
    this.cutoff = options.foreignCutoffA ?? 2.6;
    this.search = Math.max(this.cutoff, options.searchA ?? 4);
    for (let b = 0; b < this.bonds.length; b += 2) {
      const i = this.bonds[b];
      const j = this.bonds[b + 1];
      this.bonded.add(Math.min(i, j) * n + Math.max(i, j));
    }
    const centre = options.centre ?? 'Al';
    const foreign = new Set(options.foreignElements ?? ['O', 'Cl']);
    const c: number[] = [];
    const f: number[] = [];
    for (let i = 0; i < n; i++) {
      const e = topology.symbol(i);
      if (e === centre) c.push(i);
      if (foreign.has(e)) f.push(i);
    }
    this.centres = Int32Array.from(c);
    this.foreign = Int32Array.from(f);
  }

  push(frame: Frame): void {
    const x = frame.positions;
    const n = this.topology.natoms;
    if (x.length !== 3 * n)
      throw new OligolyteError(`frame ${this.count} has ${x.length / 3} atoms; expected ${n}`);
    const d = this.d;
    const L = frame.lattice;
    for (let b = 0; b < this.rest.length; b++) {
      const i = this.bonds[2 * b];
      const j = this.bonds[2 * b + 1];
      for (let c = 0; c < 3; c++) d[c] = x[3 * i + c] - x[3 * j + c];
      const r = Math.sqrt(L ? L.minimumImage(d) : d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
      this.worst = Math.max(this.worst, Math.abs(r / this.rest[b] - 1));
    }
    if (this.centres.length > 0 && this.foreign.length > 0) {
      // Nearest image of each centre-foreign pair within the search radius.
      const nearest = new Map<number, number>();
      forEachNeighbour(
        { positions: x, lattice: L, cutoff: this.search, centres: this.centres, others: this.foreign },
        (i, j, r2) => {
          const key = Math.min(i, j) * n + Math.max(i, j);
          if (i === j || this.bonded.has(key)) return;
          const old = nearest.get(key);
          if (old === undefined || r2 < old) nearest.set(key, r2);
        },
      );
      const c2 = this.cutoff * this.cutoff;
      for (const r2 of nearest.values()) {
        if (r2 < c2) this.contacts++;
        this.closest = Math.min(this.closest, Math.sqrt(r2));
      }
    }
    this.count++;
  }

  result(): IntactnessResult {
    return {
      frames: this.count,
      worstBondStrain: this.worst,
      closestForeignA: this.closest,
      foreignContacts: this.contacts,
      intact: this.worst < this.maxStrain && this.contacts === 0,
    };
  }
}
