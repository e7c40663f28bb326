/**
 * The pairs of the MD force kernel in WebAssembly with 128-bit SIMD (AssemblyScript; built
 * by `npm run build:wasm` into src/md/pair-kernel-wasm-bytes.ts). The same formulas as
 * src/md/pair-forces.ts ordinaryPairForces (its JavaScript twin, the fallback and the test's
 * reference): LJ 12-6 with shift, optional Born-Mayer-Huggins, DSF or Ewald real-space Coulomb with
 * erfc and exp(-x^2) by cubic Hermite interpolation in the same table. Two pairs per instruction:
 * for each atom i its listed pairs within the cutoff are first gathered into contiguous scratch
 * arrays (no branch per pair), then evaluated two at a time in f64x2 lanes; an odd count is padded
 * with a copy of the last pair at weight 0. Plain IEEE double arithmetic (no fused multiply-add), so a
 * run is bitwise reproducible. Memory is laid out by the host (src/md/pair-kernel-wasm.ts), which
 * passes the addresses to setLayout. The special pairs (specials, at the end) go one at a time.
 */
let pX: usize = 0; let pF: usize = 0; let pShift: usize = 0; let pQ: usize = 0; let pType: usize = 0;
let pLj: usize = 0; let pBorn: usize = 0; let pTable: usize = 0; let pStart: usize = 0; let pNbr: usize = 0; let pImg: usize = 0; let pAcc: usize = 0;
let pBuf: usize = 0;
let bufCap: usize = 0;
let nt: i32 = 0;

/**
 * Addresses (bytes) of the kernel's arrays: positions and forces (x y z per atom), image shifts
 * (x y z per image), scaled charges, types (i32), pair coefficients by type pair (lj1 lj2 offset
 * bornOn, 32 bytes), Born coefficients by type pair (a 1/rho c d offset, 48 bytes), the erfc/Gaussian
 * table (4 per point), the list (start i32, nbr i32, img u16), the 8 sums, and the scratch of `cap`
 * pairs (dx, dy, dz, r2 as f64 and j as i32, in five blocks).
 */
export function setLayout(x: usize, f: usize, shift: usize, q: usize, type: usize, lj: usize, born: usize, table: usize, start: usize, nbr: usize, img: usize, acc: usize, ntypes: i32, buf: usize, cap: usize): void {
  pX = x; pF = f; pShift = shift; pQ = q; pType = type; pLj = lj; pBorn = born; pTable = table; pStart = start; pNbr = nbr; pImg = img; pAcc = acc; nt = ntypes; pBuf = buf; bufCap = cap;
}

const TABLE_INV_STEP: f64 = 1024;

/** Where the host may lay out its arrays: after the module's own static data (Math.exp's tables). */
export function heapBase(): usize {
  return __heap_base;
}

export function ordinary(from: i32, to: i32, rc2: f64, alpha: f64, eShift: f64, fShift: f64, twoAlphaOverSqrtPi: f64): void {
  let eVdw = f64x2.splat(0); let eCoul = f64x2.splat(0);
  let wxx = f64x2.splat(0); let wyy = f64x2.splat(0); let wzz = f64x2.splat(0); let wxy = f64x2.splat(0); let wxz = f64x2.splat(0); let wyz = f64x2.splat(0);
  const x = pX; const F = pF;
  const bX = pBuf; const bY = pBuf + bufCap * 8; const bZ = pBuf + bufCap * 16; const bR = pBuf + bufCap * 24; const bJ = pBuf + bufCap * 32;
  const vAlphaStep = f64x2.splat(alpha * TABLE_INV_STEP);
  const vAlpha2 = f64x2.splat(twoAlphaOverSqrtPi);
  const vES = f64x2.splat(eShift); const vFS = f64x2.splat(fShift);
  const one = f64x2.splat(1); const two = f64x2.splat(2); const three = f64x2.splat(3); const six = f64x2.splat(6); const twelve = f64x2.splat(12);
  for (let i = from; i < to; i++) {
    const xi = load<f64>(x + (<usize>i) * 24);
    const yi = load<f64>(x + (<usize>i) * 24, 8);
    const zi = load<f64>(x + (<usize>i) * 24, 16);
    const ti = load<i32>(pType + (<usize>i << 2)) * nt;
    const vqi = f64x2.splat(load<f64>(pQ + (<usize>i << 3)));
    const end = load<i32>(pStart + (<usize>(i + 1) << 2));
    // Pass 1: the pairs within the cutoff, compacted.
    let c: usize = 0;
    for (let p = load<i32>(pStart + (<usize>i << 2)); p < end; p++) {
      const j = load<i32>(pNbr + (<usize>p << 2));
      const sp = pShift + (<usize>load<u16>(pImg + (<usize>p << 1))) * 24;
      const xj = x + (<usize>j) * 24;
      const dx = xi - load<f64>(xj) + load<f64>(sp);
      const dy = yi - load<f64>(xj, 8) + load<f64>(sp, 8);
      const dz = zi - load<f64>(xj, 16) + load<f64>(sp, 16);
      const r2 = dx * dx + dy * dy + dz * dz;
      store<f64>(bX + (c << 3), dx); store<f64>(bY + (c << 3), dy); store<f64>(bZ + (c << 3), dz); store<f64>(bR + (c << 3), r2);
      store<i32>(bJ + (c << 2), j);
      c += <usize>(r2 < rc2);
    }
    // Pad to an even count with a copy of the last pair whose results are dropped (weight 0).
    let last = c;
    if (c & 1) {
      store<f64>(bX + (c << 3), load<f64>(bX + ((c - 1) << 3))); store<f64>(bY + (c << 3), load<f64>(bY + ((c - 1) << 3)));
      store<f64>(bZ + (c << 3), load<f64>(bZ + ((c - 1) << 3))); store<f64>(bR + (c << 3), load<f64>(bR + ((c - 1) << 3)));
      store<i32>(bJ + (c << 2), load<i32>(bJ + ((c - 1) << 2)));
      last = c + 1;
    }
    let fxi = f64x2.splat(0); let fyi = f64x2.splat(0); let fzi = f64x2.splat(0);
    for (let m: usize = 0; m < last; m += 2) {
      const dx = v128.load(bX + (m << 3)); const dy = v128.load(bY + (m << 3)); const dz = v128.load(bZ + (m << 3)); const r2 = v128.load(bR + (m << 3));
      const j0 = load<i32>(bJ + (m << 2)); const j1 = load<i32>(bJ + (m << 2), 4);
      const lp0 = pLj + (<usize>(ti + load<i32>(pType + (<usize>j0 << 2)))) * 32;
      const lp1 = pLj + (<usize>(ti + load<i32>(pType + (<usize>j1 << 2)))) * 32;
      // Lane 1 of a padded pair counts nothing.
      const w1: f64 = m + 1 < c ? 1 : 0;
      const wv = f64x2.replace_lane(one, 1, w1);
      const r = f64x2.sqrt(r2);
      const rinv = f64x2.div(one, r);
      const inv2 = f64x2.mul(rinv, rinv);
      const inv6 = f64x2.mul(f64x2.mul(inv2, inv2), inv2);
      const lj1 = f64x2.replace_lane(f64x2.splat(load<f64>(lp0)), 1, load<f64>(lp1));
      const c6 = f64x2.replace_lane(f64x2.splat(load<f64>(lp0, 8)), 1, load<f64>(lp1, 8));
      const off = f64x2.replace_lane(f64x2.splat(load<f64>(lp0, 16)), 1, load<f64>(lp1, 16));
      const c12 = f64x2.mul(lj1, inv6);
      eVdw = f64x2.add(eVdw, f64x2.mul(wv, f64x2.sub(f64x2.mul(inv6, f64x2.sub(c12, c6)), off)));
      let fLj = f64x2.mul(inv6, f64x2.sub(f64x2.mul(twelve, c12), f64x2.mul(six, c6)));
      // Born-Mayer-Huggins pairs (their LJ coefficients are zero): one exp per such lane.
      const on0 = load<f64>(lp0, 24);
      const on1 = load<f64>(lp1, 24);
      if (on0 != 0 || on1 != 0) {
        let eb0: f64 = 0;
        let fb0: f64 = 0;
        let eb1: f64 = 0;
        let fb1: f64 = 0;
        const i6 = f64x2.extract_lane(inv6, 0);
        const i2 = f64x2.extract_lane(inv2, 0);
        if (on0 != 0) {
          const bp = pBorn + (<usize>(ti + load<i32>(pType + (<usize>j0 << 2)))) * 48;
          const rr = f64x2.extract_lane(r, 0);
          const rhoInv = load<f64>(bp, 8);
          const rexp = load<f64>(bp) * Math.exp(-rr * rhoInv);
          const bc = load<f64>(bp, 16) * i6;
          const bd = load<f64>(bp, 24) * i6 * i2;
          eb0 = rexp - bc + bd - load<f64>(bp, 32);
          fb0 = rexp * rr * rhoInv - 6 * bc + 8 * bd;
        }
        if (on1 != 0) {
          const j6 = f64x2.extract_lane(inv6, 1);
          const j2 = f64x2.extract_lane(inv2, 1);
          const bp = pBorn + (<usize>(ti + load<i32>(pType + (<usize>j1 << 2)))) * 48;
          const rr = f64x2.extract_lane(r, 1);
          const rhoInv = load<f64>(bp, 8);
          const rexp = load<f64>(bp) * Math.exp(-rr * rhoInv);
          const bc = load<f64>(bp, 16) * j6;
          const bd = load<f64>(bp, 24) * j6 * j2;
          eb1 = rexp - bc + bd - load<f64>(bp, 32);
          fb1 = rexp * rr * rhoInv - 6 * bc + 8 * bd;
        }
        eVdw = f64x2.add(eVdw, f64x2.mul(wv, f64x2.replace_lane(f64x2.splat(eb0), 1, eb1)));
        fLj = f64x2.add(fLj, f64x2.replace_lane(f64x2.splat(fb0), 1, fb1));
      }
      const qj = f64x2.replace_lane(f64x2.splat(load<f64>(pQ + (<usize>j0 << 3))), 1, load<f64>(pQ + (<usize>j1 << 3)));
      const prefactor = f64x2.mul(f64x2.mul(vqi, qj), rinv);
      const u = f64x2.mul(vAlphaStep, r);
      const ki = i32x4.trunc_sat_f64x2_s_zero(u);
      const tt = f64x2.sub(u, f64x2.convert_low_i32x4_s(ki));
      const t2 = f64x2.mul(tt, tt);
      const h01 = f64x2.mul(t2, f64x2.sub(three, f64x2.mul(two, tt)));
      const h11 = f64x2.mul(t2, f64x2.sub(tt, one));
      const h10 = f64x2.add(f64x2.sub(h11, t2), tt);
      const h00 = f64x2.sub(one, h01);
      const b0 = pTable + (<usize>i32x4.extract_lane(ki, 0)) * 32;
      const b1 = pTable + (<usize>i32x4.extract_lane(ki, 1)) * 32;
      // Table rows: (erfc, erfc' h) at k and k+1; (exp, exp' h) likewise.
      const e0a = v128.load(b0); const e1a = v128.load(b1); // erfc_k, erfc'_k
      const g0a = v128.load(b0, 16); const g1a = v128.load(b1, 16);
      const e0b = v128.load(b0, 32); const e1b = v128.load(b1, 32);
      const g0b = v128.load(b0, 48); const g1b = v128.load(b1, 48);
      const Ek = f64x2.shuffle(e0a, e1a, 0, 2); const Edk = f64x2.shuffle(e0a, e1a, 1, 3);
      const Ek1 = f64x2.shuffle(e0b, e1b, 0, 2); const Edk1 = f64x2.shuffle(e0b, e1b, 1, 3);
      const Gk = f64x2.shuffle(g0a, g1a, 0, 2); const Gdk = f64x2.shuffle(g0a, g1a, 1, 3);
      const Gk1 = f64x2.shuffle(g0b, g1b, 0, 2); const Gdk1 = f64x2.shuffle(g0b, g1b, 1, 3);
      const erfcAr = f64x2.add(f64x2.add(f64x2.add(f64x2.mul(Ek, h00), f64x2.mul(Edk, h10)), f64x2.mul(Ek1, h01)), f64x2.mul(Edk1, h11));
      const ex = f64x2.add(f64x2.add(f64x2.add(f64x2.mul(Gk, h00), f64x2.mul(Gdk, h10)), f64x2.mul(Gk1, h01)), f64x2.mul(Gdk1, h11));
      const r2fs = f64x2.mul(r2, vFS);
      eCoul = f64x2.add(eCoul, f64x2.mul(wv, f64x2.mul(prefactor, f64x2.sub(f64x2.sub(erfcAr, f64x2.mul(r, vES)), r2fs))));
      const fC = f64x2.mul(prefactor, f64x2.add(f64x2.add(erfcAr, f64x2.mul(f64x2.mul(vAlpha2, r), ex)), r2fs));
      const fpair = f64x2.mul(f64x2.mul(f64x2.add(fC, fLj), inv2), wv);
      const fx = f64x2.mul(dx, fpair); const fy = f64x2.mul(dy, fpair); const fz = f64x2.mul(dz, fpair);
      fxi = f64x2.add(fxi, fx); fyi = f64x2.add(fyi, fy); fzi = f64x2.add(fzi, fz);
      const f0 = F + (<usize>j0) * 24;
      store<f64>(f0, load<f64>(f0) - f64x2.extract_lane(fx, 0));
      store<f64>(f0, load<f64>(f0, 8) - f64x2.extract_lane(fy, 0), 8);
      store<f64>(f0, load<f64>(f0, 16) - f64x2.extract_lane(fz, 0), 16);
      const f1 = F + (<usize>j1) * 24;
      store<f64>(f1, load<f64>(f1) - f64x2.extract_lane(fx, 1));
      store<f64>(f1, load<f64>(f1, 8) - f64x2.extract_lane(fy, 1), 8);
      store<f64>(f1, load<f64>(f1, 16) - f64x2.extract_lane(fz, 1), 16);
      wxx = f64x2.add(wxx, f64x2.mul(dx, fx)); wyy = f64x2.add(wyy, f64x2.mul(dy, fy)); wzz = f64x2.add(wzz, f64x2.mul(dz, fz));
      wxy = f64x2.add(wxy, f64x2.mul(dx, fy)); wxz = f64x2.add(wxz, f64x2.mul(dx, fz)); wyz = f64x2.add(wyz, f64x2.mul(dy, fz));
    }
    const fi = F + (<usize>i) * 24;
    store<f64>(fi, load<f64>(fi) + (f64x2.extract_lane(fxi, 0) + f64x2.extract_lane(fxi, 1)));
    store<f64>(fi, load<f64>(fi, 8) + (f64x2.extract_lane(fyi, 0) + f64x2.extract_lane(fyi, 1)), 8);
    store<f64>(fi, load<f64>(fi, 16) + (f64x2.extract_lane(fzi, 0) + f64x2.extract_lane(fzi, 1)), 16);
  }
  store<f64>(pAcc, f64x2.extract_lane(eVdw, 0) + f64x2.extract_lane(eVdw, 1));
  store<f64>(pAcc, f64x2.extract_lane(eCoul, 0) + f64x2.extract_lane(eCoul, 1), 8);
  store<f64>(pAcc, f64x2.extract_lane(wxx, 0) + f64x2.extract_lane(wxx, 1), 16);
  store<f64>(pAcc, f64x2.extract_lane(wyy, 0) + f64x2.extract_lane(wyy, 1), 24);
  store<f64>(pAcc, f64x2.extract_lane(wzz, 0) + f64x2.extract_lane(wzz, 1), 32);
  store<f64>(pAcc, f64x2.extract_lane(wxy, 0) + f64x2.extract_lane(wxy, 1), 40);
  store<f64>(pAcc, f64x2.extract_lane(wxz, 0) + f64x2.extract_lane(wxz, 1), 48);
  store<f64>(pAcc, f64x2.extract_lane(wyz, 0) + f64x2.extract_lane(wyz, 1), 56);
}

/**
 * The special pairs (bonded 1-2/1-3/1-4 pairs with their LJ and Coulomb factors, the excluded part
 * of the Coulomb term removed in full) and self-images (weight 1/2, no force), one at a time, as
 * src/md/pair-forces.ts specialPairForces: forces added into the force array, energies and virial
 * added into the sums (after ordinary, which sets them). Arrays of `count` entries at the
 * addresses given: i and j (i32), image (i32), LJ factor, Coulomb factor, weight (f64).
 */
export function specials(
  count: i32,
  pI: usize,
  pJ: usize,
  pImage: usize,
  pLjF: usize,
  pCoulF: usize,
  pWeight: usize,
  rc2: f64,
  alpha: f64,
  eShift: f64,
  fShift: f64,
  twoAlphaOverSqrtPi: f64,
): void {
  let eLjSum: f64 = 0;
  let eCSum: f64 = 0;
  let wxx: f64 = 0;
  let wyy: f64 = 0;
  let wzz: f64 = 0;
  let wxy: f64 = 0;
  let wxz: f64 = 0;
  let wyz: f64 = 0;
  const x = pX;
  const F = pF;
  for (let p = 0; p < count; p++) {
    const i = load<i32>(pI + (<usize>p << 2));
    const j = load<i32>(pJ + (<usize>p << 2));
    const sp = pShift + (<usize>load<i32>(pImage + (<usize>p << 2))) * 24;
    const xi = x + (<usize>i) * 24;
    const xj = x + (<usize>j) * 24;
    const dx = load<f64>(xi) - load<f64>(xj) + load<f64>(sp);
    const dy = load<f64>(xi, 8) - load<f64>(xj, 8) + load<f64>(sp, 8);
    const dz = load<f64>(xi, 16) - load<f64>(xj, 16) + load<f64>(sp, 16);
    const r2 = dx * dx + dy * dy + dz * dz;
    if (r2 >= rc2) continue;
    const t = load<i32>(pType + (<usize>i << 2)) * nt + load<i32>(pType + (<usize>j << 2));
    const lp = pLj + (<usize>t) * 32;
    const w = load<f64>(pWeight + (<usize>p << 3));
    const fl = load<f64>(pLjF + (<usize>p << 3));
    const fc = load<f64>(pCoulF + (<usize>p << 3));
    const inv2 = 1 / r2;
    const inv6 = inv2 * inv2 * inv2;
    const lj1 = load<f64>(lp);
    const lj2 = load<f64>(lp, 8);
    let eLj = (inv6 * (lj1 * inv6 - lj2) - load<f64>(lp, 16)) * fl;
    let fLj = inv6 * (12 * lj1 * inv6 - 6 * lj2) * fl;
    const r = sqrt<f64>(r2);
    if (load<f64>(lp, 24) != 0) {
      const bp = pBorn + (<usize>t) * 48;
      const rhoInv = load<f64>(bp, 8);
      const rexp = load<f64>(bp) * Math.exp(-r * rhoInv);
      const bc = load<f64>(bp, 16) * inv6;
      const bd = load<f64>(bp, 24) * inv6 * inv2;
      eLj += (rexp - bc + bd - load<f64>(bp, 32)) * fl;
      fLj += (rexp * r * rhoInv - 6 * bc + 8 * bd) * fl;
    }
    const prefactor = (load<f64>(pQ + (<usize>i << 3)) * load<f64>(pQ + (<usize>j << 3))) / r;
    const u = alpha * r * TABLE_INV_STEP;
    const k = <i32>u;
    const tt = u - <f64>k;
    const t2 = tt * tt;
    const h01 = t2 * (3 - 2 * tt);
    const h11 = t2 * (tt - 1);
    const h10 = h11 - t2 + tt;
    const h00 = 1 - h01;
    const b = pTable + (<usize>k) * 32;
    const erfcAr = load<f64>(b) * h00 + load<f64>(b, 8) * h10 + load<f64>(b, 32) * h01 + load<f64>(b, 40) * h11;
    const ex = load<f64>(b, 16) * h00 + load<f64>(b, 24) * h10 + load<f64>(b, 48) * h01 + load<f64>(b, 56) * h11;
    let eC = prefactor * (erfcAr - r * eShift - r2 * fShift);
    let fC = prefactor * (erfcAr + twoAlphaOverSqrtPi * r * ex + r2 * fShift);
    if (fc < 1) {
      eC -= (1 - fc) * prefactor;
      fC -= (1 - fc) * prefactor;
    }
    eLjSum += w * eLj;
    eCSum += w * eC;
    const fpair = (fC + fLj) * inv2 * w;
    if (i != j) {
      const fi = F + (<usize>i) * 24;
      const fj = F + (<usize>j) * 24;
      store<f64>(fi, load<f64>(fi) + dx * fpair);
      store<f64>(fi, load<f64>(fi, 8) + dy * fpair, 8);
      store<f64>(fi, load<f64>(fi, 16) + dz * fpair, 16);
      store<f64>(fj, load<f64>(fj) - dx * fpair);
      store<f64>(fj, load<f64>(fj, 8) - dy * fpair, 8);
      store<f64>(fj, load<f64>(fj, 16) - dz * fpair, 16);
    }
    wxx += dx * dx * fpair;
    wyy += dy * dy * fpair;
    wzz += dz * dz * fpair;
    wxy += dx * dy * fpair;
    wxz += dx * dz * fpair;
    wyz += dy * dz * fpair;
  }
  store<f64>(pAcc, load<f64>(pAcc) + eLjSum);
  store<f64>(pAcc, load<f64>(pAcc, 8) + eCSum, 8);
  store<f64>(pAcc, load<f64>(pAcc, 16) + wxx, 16);
  store<f64>(pAcc, load<f64>(pAcc, 24) + wyy, 24);
  store<f64>(pAcc, load<f64>(pAcc, 32) + wzz, 32);
  store<f64>(pAcc, load<f64>(pAcc, 40) + wxy, 40);
  store<f64>(pAcc, load<f64>(pAcc, 48) + wxz, 48);
  store<f64>(pAcc, load<f64>(pAcc, 56) + wyz, 56);
}
