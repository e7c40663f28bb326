import type { Lattice } from '../core/lattice.js';
import { SpecialImages } from '../forcefield/special-images.js';
import { CORE_SHELL_ORDER, type TypedSystem } from '../forcefield/typing.js';

/**
 * The Verlet pair list of the MD force kernel: every pair (i, j, periodic image) closer than
 * cutoff + skin when it was built, once. Ordinary pairs (full LJ and Coulomb) are stored under one
 * of their atoms (i < j in small cells; whichever found the other with cell lists), compressed:
 * `start[i]..start[i+1]` index `nbr` (the j) and `img` (the image, an index into `images`), six
 * bytes per pair so the hot loop streams little memory. The few pairs that need
 * anything else (special 1-2/1-3/1-4 bonded pairs with their LJ and Coulomb factors, and an atom's
 * own periodic images in small cells, counted half) are a separate list. A list can hold the
 * pairs of one range of atoms (each force thread builds and sums its own).
 *
 * Positions stay unwrapped during a run, so a pair's lattice image is fixed between rebuilds; the
 * image table holds whole cell translations, and their Cartesian shifts follow the cell (NPT,
 * deformation) without a rebuild.
 */
export interface PairList {
  natoms: number;
  /** Ordinary pairs of atom i: start[i] .. start[i + 1] - 1 (length natoms + 1; set over the list's range). */
  start: Int32Array;
  nbr: Int32Array;
  img: Uint16Array;
  /** Lattice translations (na, nb, nc) of the images, three per image. */
  images: Int16Array;
  imageCount: number;
  /** Special pairs and self-images: i, j, image index, LJ and Coulomb factors and weight. */
  specialI: Int32Array;
  specialJ: Int32Array;
  specialImg: Uint16Array;
  specialLj: Float64Array;
  specialCoul: Float64Array;
  specialWeight: Float64Array;
  specialCount: number;
}

/** Cartesian shift (A) of every image of `list` in the cell `m` (rows a, b, c), into `out` (3 per image). */
export const imageShifts = (list: PairList, m: ArrayLike<number>, out: Float64Array): void => {
  const im = list.images;
  for (let s = 0; s < list.imageCount; s++) {
    const a = im[3 * s];
    const b = im[3 * s + 1];
    const c = im[3 * s + 2];
    out[3 * s] = a * m[0] + b * m[3] + c * m[6];
    out[3 * s + 1] = a * m[1] + b * m[4] + c * m[7];
    out[3 * s + 2] = a * m[2] + b * m[5] + c * m[8];
  }
};

/** The bonded (special) partners of every atom (both ways) with their order, compressed per atom. */
export interface SpecialPartners {
  start: Int32Array;
  j: Int32Array;
  order: Int8Array;
}

export const specialPartners = (sys: TypedSystem): SpecialPartners => {
  const n = sys.natoms;
  const count = new Int32Array(n + 1);
  for (const key of sys.special.keys()) {
    count[Math.floor(key / n) + 1]++;
    count[(key % n) + 1]++;
  }
  for (let i = 0; i < n; i++) count[i + 1] += count[i];
  const fill = count.slice(0, n);
  const j = new Int32Array(2 * sys.special.size);
  const order = new Int8Array(2 * sys.special.size);
  for (const [key, o] of sys.special) {
    const a = Math.floor(key / n);
    const b = key - a * n;
    j[fill[a]] = b;
    order[fill[a]++] = o;
    j[fill[b]] = a;
    order[fill[b]++] = o;
  }
  return { start: count, j, order };
};

/** Which search a cell needs: cell lists when it is at least three `reach` wide along every axis. */
export const searchKind = (lattice: Lattice, reach: number): { binned: boolean; reachFrac: number[] } => {
  // An image can be within reach only if, along each axis, its fractional separation times that
  // axis' perpendicular width is within reach (exact for any triclinic cell).
  const reachFrac = lattice.perpendicularWidths.map((w) => reach / w);
  return { binned: reachFrac.every((r) => r <= 1 / 3), reachFrac };
};

/**
 * Split atoms 0..n-1 into `parts` contiguous ranges of about equal pair work, the first range
 * carrying `firstExtra` pairs' worth of other work besides. The expected pairs of atom i: with
 * cell lists a half sphere of reach, the same for every atom; in small cells (each i meets the
 * j >= i) a share falling linearly with i. Depends only on the cell and atom count, never on
 * history, so that a resumed run splits (and sums) as the original did. Returns parts + 1 bounds.
 */
export const partitionAtoms = (
  n: number,
  parts: number,
  lattice: Lattice,
  reach: number,
  firstExtra: number,
): Int32Array => {
  const bounds = new Int32Array(parts + 1);
  bounds[parts] = n;
  if (parts === 1) return bounds;
  const perAtom = ((2 / 3) * Math.PI * reach ** 3 * n) / lattice.volume;
  const { binned } = searchKind(lattice, reach);
  const work = (i: number) => perAtom * (binned ? 1 : (2 * (n - i)) / n);
  let total = firstExtra;
  for (let i = 0; i < n; i++) total += work(i);
  const share = total / parts;
  let done = firstExtra;
  let i = 0;
  for (let k = 1; k < parts; k++) {
    while (i < n && done + work(i) / 2 < k * share) done += work(i++);
    bounds[k] = i;
  }
  return bounds;
};

/** Translations up to this many cells along each axis find their image index in a table. */
const IMAGE_TABLE_REACH = 8;

/** What a search for pairs works on: atoms from..to-1 against all, closer than sqrt(reach2). */
interface Search {
  positions: Float64Array;
  /** Fractional coordinates of the positions. */
  frac: Float64Array;
  /** Cell matrix, rows a, b, c. */
  m: ArrayLike<number>;
  /** Reach over each axis' perpendicular width (searchKind). */
  reachFrac: number[];
  reach2: number;
  from: number;
  to: number;
}

/**
 * Builds the pair list of a range of atoms, reusing its arrays: allocation happens only when the
 * list grows past what it had.
 */
export class PairListBuilder {
  private readonly list: PairList;
  /** Per-atom scratch: the special order of j with the current i (0: not special). */
  private readonly mark: Int8Array;
  /** Per-atom scratch (small cells): the lattice translation of j's special image with the current i. */
  private readonly markImage: Int32Array;
  private imageIndex = new Map<number, number>();
  /** Image indices by translation within IMAGE_TABLE_REACH cells (-1: not yet met in this build). */
  private readonly imageTable = new Int32Array((2 * IMAGE_TABLE_REACH + 1) ** 3);
  private p = 0;
  private imageList: number[] = [];

  constructor(
    natoms: number,
    private readonly specials: SpecialPartners,
    private readonly factors: { lj: number[]; coul: number[] },
  ) {
    this.mark = new Int8Array(natoms);
    this.markImage = new Int32Array(3 * natoms);
    this.list = {
      natoms,
      start: new Int32Array(natoms + 1),
      nbr: new Int32Array(0),
      img: new Uint16Array(0),
      images: new Int16Array(0),
      imageCount: 0,
      specialI: new Int32Array(0),
      specialJ: new Int32Array(0),
      specialImg: new Uint16Array(0),
      specialLj: new Float64Array(0),
      specialCoul: new Float64Array(0),
      specialWeight: new Float64Array(0),
      specialCount: 0,
    };
  }

  /**
   * The pairs of atoms from..to-1 closer than `reach` (A) at `positions` in `lattice` (with the
   * pairs of all ranges, every pair once).
   */
  build(
    positions: Float64Array,
    lattice: Lattice,
    reach: number,
    from = 0,
    to = positions.length / 3,
  ): PairList {
    const frac = lattice.toFractional(positions);
    const { binned, reachFrac } = searchKind(lattice, reach);
    this.imageIndex.clear();
    this.imageTable.fill(-1);
    this.imageList.length = 0;
    this.list.specialCount = 0;
    this.p = 0;
    const search: Search = { positions, frac, m: lattice.matrix, reachFrac, reach2: reach * reach, from, to };
    if (binned) this.binned(search);
    else this.allImages(search, lattice);
    const list = this.list;
    const nImg = this.imageList.length / 3;
    if (list.images.length < 3 * nImg) list.images = new Int16Array(2 * 3 * nImg);
    list.images.set(this.imageList);
    list.imageCount = nImg;
    return list;
  }

  /**
   * The index of the image (na, nb, nc): translations within IMAGE_TABLE_REACH cells from a table
   * (a Map lookup per pair cost as much as the rest of a small cell's list build), beyond from the map.
   */
  private image(na: number, nb: number, nc: number): number {
    const R = IMAGE_TABLE_REACH;
    if (na < -R || na > R || nb < -R || nb > R || nc < -R || nc > R) return this.imageOf(na, nb, nc);
    const W = 2 * R + 1;
    const key = ((na + R) * W + (nb + R)) * W + (nc + R);
    let s = this.imageTable[key];
    if (s < 0) {
      s = this.imageOf(na, nb, nc);
      this.imageTable[key] = s;
    }
    return s;
  }

  private imageOf(na: number, nb: number, nc: number): number {
    const key = ((na + 512) * 1024 + (nb + 512)) * 1024 + (nc + 512);
    let s = this.imageIndex.get(key);
    if (s === undefined) {
      s = this.imageList.length / 3;
      if (s > 65535) throw new RangeError('more than 65,536 periodic images within the cutoff');
      this.imageList.push(na, nb, nc);
      this.imageIndex.set(key, s);
    }
    return s;
  }

  /** Append an ordinary pair of the current atom, growing the arrays by half when full. */
  private push(j: number, image: number): void {
    const list = this.list;
    if (this.p === list.nbr.length) this.grow();
    list.nbr[this.p] = j;
    list.img[this.p] = image;
    this.p++;
  }

  /** Grow the ordinary pairs' arrays by half (keeping the first this.p pairs). */
  private grow(): void {
    const list = this.list;
    const cap = Math.max(1024, Math.ceil(1.5 * this.p));
    const nbr = new Int32Array(cap);
    const img = new Uint16Array(cap);
    nbr.set(list.nbr);
    img.set(list.img);
    list.nbr = nbr;
    list.img = img;
  }

  private markSpecials(i: number, on: boolean): void {
    const sp = this.specials;
    for (let k = sp.start[i]; k < sp.start[i + 1]; k++) this.mark[sp.j[k]] = on ? sp.order[k] : 0;
  }

  private addSpecial(i: number, j: number, image: number, order: number): void {
    // A core and its own shell: no pair term (forcefield/shells.ts sums it).
    if (order === CORE_SHELL_ORDER) return;
    const L = this.list;
    const k = L.specialCount;
    if (k === L.specialI.length) {
      const cap = Math.max(256, 2 * k);
      const grow = <T extends Int32Array | Uint16Array | Float64Array>(a: T, b: T): T => {
        b.set(a);
        return b;
      };
      L.specialI = grow(L.specialI, new Int32Array(cap));
      L.specialJ = grow(L.specialJ, new Int32Array(cap));
      L.specialImg = grow(L.specialImg, new Uint16Array(cap));
      L.specialLj = grow(L.specialLj, new Float64Array(cap));
      L.specialCoul = grow(L.specialCoul, new Float64Array(cap));
      L.specialWeight = grow(L.specialWeight, new Float64Array(cap));
    }
    L.specialI[k] = i;
    L.specialJ[k] = j;
    L.specialImg[k] = image;
    // order 0: an atom's own image (i === j), counted half since both +n and -n are listed.
    L.specialLj[k] = order === 0 ? 1 : this.factors.lj[order - 1];
    L.specialCoul[k] = order === 0 ? 1 : this.factors.coul[order - 1];
    L.specialWeight[k] = order === 0 ? 0.5 : 1;
    L.specialCount = k + 1;
  }

  /**
   * Small cells: every pair with every image within reach (cutoffs beyond half the cell). A special
   * pair's factors go to its nearest image only (SpecialImages: the image LAMMPS scales too; cells
   * where that is ill-defined are refused), chosen once here so the force loop stays as it is.
   */
  private allImages(search: Search, lattice: Lattice): void {
    const { positions, frac, m, reachFrac, reach2, from, to } = search;
    const n = this.list.natoms;
    const start = this.list.start;
    const mark = this.mark;
    const markImage = this.markImage;
    const specialImages = new SpecialImages(lattice);
    const sp = this.specials;
    const [rf0, rf1, rf2] = reachFrac;
    const m0 = m[0];
    const m1 = m[1];
    const m2 = m[2];
    const m3 = m[3];
    const m4 = m[4];
    const m5 = m[5];
    const m6 = m[6];
    const m7 = m[7];
    const m8 = m[8];
    for (let i = from; i < to; i++) {
      start[i] = this.p;
      this.markSpecials(i, true);
      for (let k = sp.start[i]; k < sp.start[i + 1]; k++) {
        const j = sp.j[k];
        if (j > i) specialImages.image(positions, i, j, sp.order[k], markImage, 3 * j);
      }
      for (let j = i; j < n; j++) {
        const order = i === j ? 0 : mark[j];
        const df0 = frac[3 * i] - frac[3 * j];
        const df1 = frac[3 * i + 1] - frac[3 * j + 1];
        const df2 = frac[3 * i + 2] - frac[3 * j + 2];
        // The special image (the only one that can carry a special-pair factor).
        const b0 = markImage[3 * j];
        const b1 = markImage[3 * j + 1];
        const b2 = markImage[3 * j + 2];
        const d0x = positions[3 * i] - positions[3 * j];
        const d0y = positions[3 * i + 1] - positions[3 * j + 1];
        const d0z = positions[3 * i + 2] - positions[3 * j + 2];
        // Whole numbers as int32 (| 0; Math.ceil can return -0, a double, which slows the loops).
        const a0 = Math.ceil(-rf0 - df0) | 0;
        const a1 = Math.floor(rf0 - df0) | 0;
        const b0min = Math.ceil(-rf1 - df1) | 0;
        const b1max = Math.floor(rf1 - df1) | 0;
        const c0 = Math.ceil(-rf2 - df2) | 0;
        const c1 = Math.floor(rf2 - df2) | 0;
        // The same sums as d0 + na a + nb b + nc c, left to right, with the partial sums hoisted.
        for (let na = a0; na <= a1; na++) {
          const ax = d0x + na * m0;
          const ay = d0y + na * m1;
          const az = d0z + na * m2;
          for (let nb = b0min; nb <= b1max; nb++) {
            const bx = ax + nb * m3;
            const by = ay + nb * m4;
            const bz = az + nb * m5;
            for (let nc = c0; nc <= c1; nc++) {
              if (i === j && na === 0 && nb === 0 && nc === 0) continue;
              const dx = bx + nc * m6;
              const dy = by + nc * m7;
              const dz = bz + nc * m8;
              if (dx * dx + dy * dy + dz * dz >= reach2) continue;
              const s = this.image(na, nb, nc);
              if (i === j) this.addSpecial(i, j, s, 0);
              else if (order > 0 && na === b0 && nb === b1 && nc === b2) this.addSpecial(i, j, s, order);
              else this.push(j, s);
            }
          }
        }
      }
      this.markSpecials(i, false);
    }
    start[to] = this.p;
  }

  /**
   * Cell lists for cells at least three `reach` wide along every axis (where the minimum image is
   * the only one within reach). Atoms are binned by their wrapped fractional coordinates and
   * sorted by bin, their wrapped positions stored in bin order so the search streams memory.
   * Each atom meets the atoms of half the surrounding bins (the other half find it), so every pair
   * is met once, stored under whichever atom found it.
   */
  private binned(search: Search): void {
    const { positions, frac, m, reachFrac, reach2, from, to } = search;
    const n = this.list.natoms;
    // Bins half of `reach` wide where the cell holds at least five of them (atoms within reach
    // are then at most two bins apart, and 125 such bins cover less volume than 27 full ones),
    // else `reach` wide.
    const halfWidth = reachFrac.map((r) => (Math.floor(2 / r) >= 5 ? 2 : 1));
    const bins = reachFrac.map((r, a) => Math.floor(halfWidth[a] / r));
    const [ba, bb, bc] = bins;
    const nbins = ba * bb * bc;
    // Cell of each atom (how many cell vectors its unwrapped position is away from the home cell).
    const cellOf = new Int32Array(3 * n);
    const binOf = new Int32Array(n);
    const binStart = new Int32Array(nbins + 1);
    for (let i = 0; i < n; i++) {
      let k = 0;
      for (let a = 0; a < 3; a++) {
        const c = Math.floor(frac[3 * i + a]);
        cellOf[3 * i + a] = c;
        k = k * bins[a] + Math.min(bins[a] - 1, ((frac[3 * i + a] - c) * bins[a]) | 0);
      }
      binOf[i] = k;
      binStart[k + 1]++;
    }
    for (let k = 0; k < nbins; k++) binStart[k + 1] += binStart[k];
    const fill = binStart.slice(0, nbins);
    const atomAt = new Int32Array(n);
    const slotOf = new Int32Array(n);
    const wx = new Float64Array(n);
    const wy = new Float64Array(n);
    const wz = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const q = fill[binOf[i]]++;
      atomAt[q] = i;
      slotOf[i] = q;
      const c0 = cellOf[3 * i];
      const c1 = cellOf[3 * i + 1];
      const c2 = cellOf[3 * i + 2];
      wx[q] = positions[3 * i] - c0 * m[0] - c1 * m[3] - c2 * m[6];
      wy[q] = positions[3 * i + 1] - c0 * m[1] - c1 * m[4] - c2 * m[7];
      wz[q] = positions[3 * i + 2] - c0 * m[2] - c1 * m[5] - c2 * m[8];
    }
    // The forward half of the stencil: offsets after (0, 0, 0) in lexicographic order.
    const [ha, hb, hc] = halfWidth;
    const offsets: number[] = [];
    for (let oa = -ha; oa <= ha; oa++)
      for (let ob = -hb; ob <= hb; ob++)
        for (let oc = -hc; oc <= hc; oc++)
          if (oa > 0 || (oa === 0 && (ob > 0 || (ob === 0 && oc > 0)))) offsets.push(oa, ob, oc);
    const nOffsets = offsets.length / 3;
    const start = this.list.start;
    const mark = this.mark;
    // Image index of a pair straight from the image table by a key linear in the cells of i and j
    // (n = c_j - c_i - w within the table's reach), when every atom is within 3 cells of home (a
    // difference of cells is then within 7); else through image().
    const R = IMAGE_TABLE_REACH;
    const W = 2 * R + 1;
    let far = 0;
    for (let k = 0; k < 3 * n; k++) far = Math.max(far, Math.abs(cellOf[k]));
    const linearKeys = far <= 3;
    // cellKeyAt[q]: the key of the translation c_j of the atom j in slot q, offset by R per axis.
    const cellKeyAt = new Int32Array(n);
    if (linearKeys)
      for (let q = 0; q < n; q++) {
        const j = atomAt[q];
        cellKeyAt[q] = ((cellOf[3 * j] + R) * W + (cellOf[3 * j + 1] + R)) * W + (cellOf[3 * j + 2] + R);
      }
    const imageTable = this.imageTable;
    const list = this.list;
    // The ordinary pairs are appended here, inline (a call per pair cost a tenth of the build).
    let p = this.p;
    let nbr = list.nbr;
    let img = list.img;
    for (let i = from; i < to; i++) {
      start[i] = p;
      this.markSpecials(i, true);
      const k = binOf[i];
      const ka = Math.floor(k / (bb * bc));
      const kb = Math.floor(k / bc) % bb;
      const kc = k % bc;
      const qi = slotOf[i];
      const xi = wx[qi];
      const yi = wy[qi];
      const zi = wz[qi];
      const ci0 = cellOf[3 * i];
      const ci1 = cellOf[3 * i + 1];
      const ci2 = cellOf[3 * i + 2];
      // The home bin (atoms after i in it), then the forward bins.
      for (let o = -1; o < nOffsets; o++) {
        // Slots qFrom..qTo-1 of the sorted atoms, with the bin's wrap w across the cell's edges.
        let qFrom: number;
        let qTo: number;
        let w0 = 0;
        let w1 = 0;
        let w2 = 0;
        if (o < 0) {
          qFrom = qi + 1;
          qTo = binStart[k + 1];
        } else {
          // A neighbour bin across the cell's edge holds atoms whose wrapped image is one cell over.
          const na = ka + offsets[3 * o];
          const nb = kb + offsets[3 * o + 1];
          const nc = kc + offsets[3 * o + 2];
          w0 = na < 0 ? -1 : na >= ba ? 1 : 0;
          w1 = nb < 0 ? -1 : nb >= bb ? 1 : 0;
          w2 = nc < 0 ? -1 : nc >= bc ? 1 : 0;
          const kk = ((na - w0 * ba) * bb + (nb - w1 * bb)) * bc + (nc - w2 * bc);
          qFrom = binStart[kk];
          qTo = binStart[kk + 1];
        }
        const sx = w0 * m[0] + w1 * m[3] + w2 * m[6];
        const sy = w0 * m[1] + w1 * m[4] + w2 * m[7];
        const sz = w0 * m[2] + w1 * m[5] + w2 * m[8];
        // key(n) = cellKeyAt[q] - keyShift for n = c_j - c_i - w.
        const keyShift = ((ci0 + w0) * W + (ci1 + w1)) * W + (ci2 + w2);
        for (let q = qFrom; q < qTo; q++) {
          const dx = xi - wx[q] - sx;
          const dy = yi - wy[q] - sy;
          const dz = zi - wz[q] - sz;
          if (dx * dx + dy * dy + dz * dz >= reach2) continue;
          const j = atomAt[q];
          // r_i - r_j + n M = (wrapped i) - (wrapped j + w M): n = c_j - c_i - w.
          let s = linearKeys ? imageTable[cellKeyAt[q] - keyShift] : -1;
          if (s < 0)
            s = this.image(
              cellOf[3 * j] - ci0 - w0,
              cellOf[3 * j + 1] - ci1 - w1,
              cellOf[3 * j + 2] - ci2 - w2,
            );
          if (mark[j] > 0) this.addSpecial(i, j, s, mark[j]);
          else {
            if (p === nbr.length) {
              this.p = p;
              this.grow();
              nbr = list.nbr;
              img = list.img;
            }
            nbr[p] = j;
            img[p] = s;
            p++;
          }
        }
      }
      this.markSpecials(i, false);
    }
    this.p = p;
    start[to] = p;
  }
}
