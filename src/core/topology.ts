import { ATOMIC_WEIGHTS, atomicNumber } from './elements.js';

/** Optional bonded topology, as LAMMPS keeps it: atom indices (0-based) and 1-based type ids. */
export interface BondedTerms {
  /** Bonds: 2 atom indices each. */
  bonds?: Uint32Array;
  bondTypes?: Int32Array;
  /** Angles: 3 atom indices each (the middle one is the apex). */
  angles?: Uint32Array;
  angleTypes?: Int32Array;
  /** Dihedrals: 4 atom indices each. */
  dihedrals?: Uint32Array;
  dihedralTypes?: Int32Array;
}

export interface TopologyInit extends BondedTerms {
  /** Element symbol of every atom ('X' for a particle without chemical identity). */
  symbols: readonly string[];
  /** Masses (amu); default: standard atomic weights. */
  masses?: ArrayLike<number>;
  /** Charges (e). */
  charges?: ArrayLike<number>;
  /** Molecule id of every atom (as LAMMPS molecule-ID). */
  moleculeIds?: ArrayLike<number>;
  /** Type id of every atom (as LAMMPS atom types, 1-based); kept so files round-trip. */
  typeIds?: ArrayLike<number>;
  /** Chemical role of every atom, for force fields and analyses: 'O_bridging', 'Cl_terminal', ... */
  roles?: readonly string[];
}

/**
 * The per-atom data that does not change during a run. Species are stored as an index into
 * `elements` (the distinct symbols in order of first appearance), never as per-atom strings.
 */
export class Topology {
  readonly natoms: number;
  /** Distinct element symbols, in order of first appearance. */
  readonly elements: readonly string[];
  /** Index into `elements` for every atom. */
  readonly speciesIndex: Uint16Array;
  readonly masses: Float64Array;
  readonly charges?: Float64Array;
  readonly moleculeIds?: Int32Array;
  readonly typeIds?: Int32Array;
  readonly roles?: readonly string[];
  readonly bonded: BondedTerms;

  constructor(init: TopologyInit) {
    const n = init.symbols.length;
    this.natoms = n;
    const elements: string[] = [];
    const index = new Map<string, number>();
    this.speciesIndex = new Uint16Array(n);
    for (let i = 0; i < n; i++) {
      const s = init.symbols[i];
      let k = index.get(s);
      if (k === undefined) {
        if (atomicNumber(s) < 0) throw new RangeError(`atom ${i + 1}: unknown element "${s}"`);
        k = elements.length;
        elements.push(s);
        index.set(s, k);
      }
      this.speciesIndex[i] = k;
    }
    this.elements = elements;
    const check = (name: string, a: ArrayLike<number> | undefined) => {
      if (a !== undefined && a.length !== n)
        throw new RangeError(`${name} has ${a.length} entries for ${n} atoms`);
    };
    check('masses', init.masses);
    check('charges', init.charges);
    check('moleculeIds', init.moleculeIds);
    check('typeIds', init.typeIds);
    if (init.roles !== undefined && init.roles.length !== n)
      throw new RangeError(`roles has ${init.roles.length} entries for ${n} atoms`);
    if (init.roles) this.roles = [...init.roles];
    if (init.masses) this.masses = Float64Array.from(init.masses);
    else {
      const w = elements.map((e) => ATOMIC_WEIGHTS[atomicNumber(e)]);
      this.masses = new Float64Array(n);
      for (let i = 0; i < n; i++) this.masses[i] = w[this.speciesIndex[i]];
    }
    if (init.charges) this.charges = Float64Array.from(init.charges);
    if (init.moleculeIds) this.moleculeIds = Int32Array.from(init.moleculeIds);
    if (init.typeIds) this.typeIds = Int32Array.from(init.typeIds);
    const { bonds, bondTypes, angles, angleTypes, dihedrals, dihedralTypes } = init;
    const checkTerms = (name: string, a: Uint32Array | undefined, per: number, t: Int32Array | undefined) => {
      if (!a) return;
      if (a.length % per !== 0)
        throw new RangeError(`${name}: length ${a.length} is not a multiple of ${per}`);
      for (let i = 0; i < a.length; i++)
        if (a[i] >= n) throw new RangeError(`${name}: atom index ${a[i]} out of range (${n} atoms)`);
      if (t && t.length * per !== a.length)
        throw new RangeError(`${name}: ${t.length} types for ${a.length / per} terms`);
    };
    checkTerms('bonds', bonds, 2, bondTypes);
    checkTerms('angles', angles, 3, angleTypes);
    checkTerms('dihedrals', dihedrals, 4, dihedralTypes);
    this.bonded = { bonds, bondTypes, angles, angleTypes, dihedrals, dihedralTypes };
  }

  /** Element symbol of atom i. */
  symbol(i: number): string {
    return this.elements[this.speciesIndex[i]];
  }

  /** Element symbols of all atoms (allocates; not for hot paths). */
  get symbols(): string[] {
    return Array.from(this.speciesIndex, (k) => this.elements[k]);
  }

  /** Indices of the atoms of one element. */
  indicesOf(symbol: string): Uint32Array {
    const k = this.elements.indexOf(symbol);
    if (k < 0) return new Uint32Array(0);
    let count = 0;
    for (let i = 0; i < this.natoms; i++) if (this.speciesIndex[i] === k) count++;
    const out = new Uint32Array(count);
    for (let i = 0, j = 0; i < this.natoms; i++) if (this.speciesIndex[i] === k) out[j++] = i;
    return out;
  }

  /** Count of atoms per element, in `elements` order. */
  counts(): Map<string, number> {
    const c = new Map<string, number>(this.elements.map((e) => [e, 0]));
    for (let i = 0; i < this.natoms; i++) {
      const e = this.elements[this.speciesIndex[i]];
      c.set(e, (c.get(e) ?? 0) + 1);
    }
    return c;
  }

  totalMass(): number {
    let m = 0;
    for (let i = 0; i < this.natoms; i++) m += this.masses[i];
    return m;
  }

  /** True if `other` has the same atoms (count and species, in order). */
  sameAtoms(other: Topology): boolean {
    if (other === this) return true;
    if (other.natoms !== this.natoms) return false;
    for (let i = 0; i < this.natoms; i++) if (this.symbol(i) !== other.symbol(i)) return false;
    return true;
  }
}
