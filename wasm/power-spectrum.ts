/**
 * Sums of power spectra |X(f)|^2 of real series, two complex FFTs at once in f64x2 lanes
 * (AssemblyScript; built by `npm run build:wasm` into src/core/power-spectrum-wasm-bytes.ts). Its
 * JavaScript twin, the fallback and the test's reference, is src/core/power-spectrum-sum.ts with
 * MixedRadixFft (src/core/mixed-radix-fft.ts): the same Stockham stages of radix 4, 2, 3 and 5
 * with the same twiddles (computed by the host) and every operation in the same order, so each
 * lane's result equals the JavaScript transform bit for bit (plain IEEE double arithmetic, no
 * fused multiply-add). Lane A holds one complex series and lane B another: each point k of a
 * buffer is [re A, re B] then [im A, im B] (32 bytes). Memory is laid out by the host, which
 * passes the addresses to setLayout.
 */
let pIn: usize = 0; let pWork: usize = 0; let pOut: usize = 0; let pPower: usize = 0; let pStages: usize = 0;
let nStages: i32 = 0; let size: i32 = 0;
/** The butterflies' constants, from the host (its cos and sin, so that the bits are its own). */
let C3: f64 = 0; let S3: f64 = 0; let C51: f64 = 0; let C52: f64 = 0; let S51: f64 = 0; let S52: f64 = 0;

/**
 * Addresses (bytes) of the input, work and output buffers (32 bytes per point), the power sums
 * (one f64 per point), and the stage table: per stage four i32 (radix p, m = n / p, stride s, the
 * byte address of its twiddles: w^{k u} for k < m, u = 1..p-1 as (re, im) pairs); then the
 * constants cos(2 pi / 3), sin(2 pi / 3), cos(2 pi / 5), cos(4 pi / 5), sin(2 pi / 5), sin(4 pi / 5).
 */
export function setLayout(input: usize, work: usize, out: usize, power: usize, stages: usize, count: i32, n: i32, c3: f64, s3: f64, c51: f64, c52: f64, s51: f64, s52: f64): void {
  pIn = input; pWork = work; pOut = out; pPower = power; pStages = stages; nStages = count; size = n;
  C3 = c3; S3 = s3; C51 = c51; C52 = c52; S51 = s51; S52 = s52;
}

/** Where the host may lay out its arrays. */
export function heapBase(): usize {
  return __heap_base;
}

// @ts-ignore: decorator
@inline function tw(t: usize, o: usize): v128 {
  return f64x2.splat(load<f64>(t + o));
}

// @ts-ignore: decorator
@inline function cmulRe(br: v128, bi: v128, wr: v128, wi: v128): v128 {
  return f64x2.sub(f64x2.mul(br, wr), f64x2.mul(bi, wi));
}

// @ts-ignore: decorator
@inline function cmulIm(br: v128, bi: v128, wr: v128, wi: v128): v128 {
  return f64x2.add(f64x2.mul(br, wi), f64x2.mul(bi, wr));
}

function radix2(m: i32, s: i32, t: usize, x: usize, y: usize): void {
  const sm = <usize>(s * m) * 32;
  for (let k = 0; k < m; k++) {
    const wr = tw(t, <usize>k * 16);
    const wi = tw(t, <usize>k * 16 + 8);
    for (let q = 0; q < s; q++) {
      const i0 = x + <usize>(q + s * k) * 32;
      const i1 = i0 + sm;
      const ar = v128.load(i0); const ai = v128.load(i0, 16);
      const br = v128.load(i1); const bi = v128.load(i1, 16);
      const o0 = y + <usize>(q + s * 2 * k) * 32;
      const o1 = o0 + <usize>s * 32;
      v128.store(o0, f64x2.add(ar, br)); v128.store(o0, f64x2.add(ai, bi), 16);
      const dr = f64x2.sub(ar, br); const di = f64x2.sub(ai, bi);
      v128.store(o1, cmulRe(dr, di, wr, wi)); v128.store(o1, cmulIm(dr, di, wr, wi), 16);
    }
  }
}

function radix4(m: i32, s: i32, t: usize, x: usize, y: usize): void {
  const d = <usize>(s * m) * 32;
  const e = <usize>s * 32;
  for (let k = 0; k < m; k++) {
    const tk = t + <usize>k * 48;
    const w1r = tw(tk, 0); const w1i = tw(tk, 8);
    const w2r = tw(tk, 16); const w2i = tw(tk, 24);
    const w3r = tw(tk, 32); const w3i = tw(tk, 40);
    for (let q = 0; q < s; q++) {
      const i0 = x + <usize>(q + s * k) * 32;
      const a0r = v128.load(i0); const a0i = v128.load(i0, 16);
      const a1r = v128.load(i0 + d); const a1i = v128.load(i0 + d, 16);
      const a2r = v128.load(i0 + 2 * d); const a2i = v128.load(i0 + 2 * d, 16);
      const a3r = v128.load(i0 + 3 * d); const a3i = v128.load(i0 + 3 * d, 16);
      const t0r = f64x2.add(a0r, a2r); const t0i = f64x2.add(a0i, a2i);
      const t1r = f64x2.sub(a0r, a2r); const t1i = f64x2.sub(a0i, a2i);
      const t2r = f64x2.add(a1r, a3r); const t2i = f64x2.add(a1i, a3i);
      // (a1 - a3) times -i
      const t3r = f64x2.sub(a1i, a3i); const t3i = f64x2.sub(a3r, a1r);
      const o0 = y + <usize>(q + 4 * s * k) * 32;
      v128.store(o0, f64x2.add(t0r, t2r)); v128.store(o0, f64x2.add(t0i, t2i), 16);
      const b1r = f64x2.add(t1r, t3r); const b1i = f64x2.add(t1i, t3i);
      const b2r = f64x2.sub(t0r, t2r); const b2i = f64x2.sub(t0i, t2i);
      const b3r = f64x2.sub(t1r, t3r); const b3i = f64x2.sub(t1i, t3i);
      v128.store(o0 + e, cmulRe(b1r, b1i, w1r, w1i)); v128.store(o0 + e, cmulIm(b1r, b1i, w1r, w1i), 16);
      v128.store(o0 + 2 * e, cmulRe(b2r, b2i, w2r, w2i)); v128.store(o0 + 2 * e, cmulIm(b2r, b2i, w2r, w2i), 16);
      v128.store(o0 + 3 * e, cmulRe(b3r, b3i, w3r, w3i)); v128.store(o0 + 3 * e, cmulIm(b3r, b3i, w3r, w3i), 16);
    }
  }
}

function radix3(m: i32, s: i32, t: usize, x: usize, y: usize): void {
  const d = <usize>(s * m) * 32;
  const e = <usize>s * 32;
  const c3 = f64x2.splat(C3); const s3 = f64x2.splat(S3); const ms3 = f64x2.splat(-S3);
  for (let k = 0; k < m; k++) {
    const tk = t + <usize>k * 32;
    const w1r = tw(tk, 0); const w1i = tw(tk, 8);
    const w2r = tw(tk, 16); const w2i = tw(tk, 24);
    for (let q = 0; q < s; q++) {
      const i0 = x + <usize>(q + s * k) * 32;
      const a0r = v128.load(i0); const a0i = v128.load(i0, 16);
      const a1r = v128.load(i0 + d); const a1i = v128.load(i0 + d, 16);
      const a2r = v128.load(i0 + 2 * d); const a2i = v128.load(i0 + 2 * d, 16);
      const sr = f64x2.add(a1r, a2r); const si = f64x2.add(a1i, a2i);
      const mr = f64x2.add(a0r, f64x2.mul(c3, sr)); const mi = f64x2.add(a0i, f64x2.mul(c3, si));
      // -i sin(2 pi / 3) (a1 - a2)
      const nr = f64x2.mul(s3, f64x2.sub(a1i, a2i)); const ni = f64x2.mul(ms3, f64x2.sub(a1r, a2r));
      const o0 = y + <usize>(q + 3 * s * k) * 32;
      v128.store(o0, f64x2.add(a0r, sr)); v128.store(o0, f64x2.add(a0i, si), 16);
      const b1r = f64x2.add(mr, nr); const b1i = f64x2.add(mi, ni);
      const b2r = f64x2.sub(mr, nr); const b2i = f64x2.sub(mi, ni);
      v128.store(o0 + e, cmulRe(b1r, b1i, w1r, w1i)); v128.store(o0 + e, cmulIm(b1r, b1i, w1r, w1i), 16);
      v128.store(o0 + 2 * e, cmulRe(b2r, b2i, w2r, w2i)); v128.store(o0 + 2 * e, cmulIm(b2r, b2i, w2r, w2i), 16);
    }
  }
}

function radix5(m: i32, s: i32, t: usize, x: usize, y: usize): void {
  const d = <usize>(s * m) * 32;
  const e = <usize>s * 32;
  const c51 = f64x2.splat(C51); const c52 = f64x2.splat(C52);
  const s51 = f64x2.splat(S51); const s52 = f64x2.splat(S52);
  for (let k = 0; k < m; k++) {
    const tk = t + <usize>k * 64;
    const w1r = tw(tk, 0); const w1i = tw(tk, 8);
    const w2r = tw(tk, 16); const w2i = tw(tk, 24);
    const w3r = tw(tk, 32); const w3i = tw(tk, 40);
    const w4r = tw(tk, 48); const w4i = tw(tk, 56);
    for (let q = 0; q < s; q++) {
      const i0 = x + <usize>(q + s * k) * 32;
      const a0r = v128.load(i0); const a0i = v128.load(i0, 16);
      const a1r = v128.load(i0 + d); const a1i = v128.load(i0 + d, 16);
      const a2r = v128.load(i0 + 2 * d); const a2i = v128.load(i0 + 2 * d, 16);
      const a3r = v128.load(i0 + 3 * d); const a3i = v128.load(i0 + 3 * d, 16);
      const a4r = v128.load(i0 + 4 * d); const a4i = v128.load(i0 + 4 * d, 16);
      const s1r = f64x2.add(a1r, a4r); const s1i = f64x2.add(a1i, a4i);
      const s2r = f64x2.add(a2r, a3r); const s2i = f64x2.add(a2i, a3i);
      const d1r = f64x2.sub(a1r, a4r); const d1i = f64x2.sub(a1i, a4i);
      const d2r = f64x2.sub(a2r, a3r); const d2i = f64x2.sub(a2i, a3i);
      const m1r = f64x2.add(f64x2.add(a0r, f64x2.mul(c51, s1r)), f64x2.mul(c52, s2r));
      const m1i = f64x2.add(f64x2.add(a0i, f64x2.mul(c51, s1i)), f64x2.mul(c52, s2i));
      const m2r = f64x2.add(f64x2.add(a0r, f64x2.mul(c52, s1r)), f64x2.mul(c51, s2r));
      const m2i = f64x2.add(f64x2.add(a0i, f64x2.mul(c52, s1i)), f64x2.mul(c51, s2i));
      // -i (S51 d1 + S52 d2) and -i (S52 d1 - S51 d2)
      const n1r = f64x2.add(f64x2.mul(s51, d1i), f64x2.mul(s52, d2i));
      const n1i = f64x2.neg(f64x2.add(f64x2.mul(s51, d1r), f64x2.mul(s52, d2r)));
      const n2r = f64x2.sub(f64x2.mul(s52, d1i), f64x2.mul(s51, d2i));
      const n2i = f64x2.neg(f64x2.sub(f64x2.mul(s52, d1r), f64x2.mul(s51, d2r)));
      const o0 = y + <usize>(q + 5 * s * k) * 32;
      v128.store(o0, f64x2.add(f64x2.add(a0r, s1r), s2r)); v128.store(o0, f64x2.add(f64x2.add(a0i, s1i), s2i), 16);
      const b1r = f64x2.add(m1r, n1r); const b1i = f64x2.add(m1i, n1i);
      const b2r = f64x2.add(m2r, n2r); const b2i = f64x2.add(m2i, n2i);
      const b3r = f64x2.sub(m2r, n2r); const b3i = f64x2.sub(m2i, n2i);
      const b4r = f64x2.sub(m1r, n1r); const b4i = f64x2.sub(m1i, n1i);
      v128.store(o0 + e, cmulRe(b1r, b1i, w1r, w1i)); v128.store(o0 + e, cmulIm(b1r, b1i, w1r, w1i), 16);
      v128.store(o0 + 2 * e, cmulRe(b2r, b2i, w2r, w2i)); v128.store(o0 + 2 * e, cmulIm(b2r, b2i, w2r, w2i), 16);
      v128.store(o0 + 3 * e, cmulRe(b3r, b3i, w3r, w3i)); v128.store(o0 + 3 * e, cmulIm(b3r, b3i, w3r, w3i), 16);
      v128.store(o0 + 4 * e, cmulRe(b4r, b4i, w4r, w4i)); v128.store(o0 + 4 * e, cmulIm(b4r, b4i, w4r, w4i), 16);
    }
  }
}

/** The stages over the input buffer's two lanes, the result in the output buffer (the input is not changed). */
function runStages(): void {
  let x = pIn;
  let y = nStages % 2 == 1 ? pOut : pWork;
  for (let j = 0; j < nStages; j++) {
    const st = pStages + <usize>j * 16;
    const p = load<i32>(st); const m = load<i32>(st, 4); const s = load<i32>(st, 8);
    const t = <usize>load<i32>(st, 12);
    if (p == 4) radix4(m, s, t, x, y);
    else if (p == 2) radix2(m, s, t, x, y);
    else if (p == 3) radix3(m, s, t, x, y);
    else radix5(m, s, t, x, y);
    x = y;
    y = y == pOut ? pWork : pOut;
  }
  // With no stage (a length of 1) the output is the input.
  if (nStages == 0) memory.copy(pOut, pIn, <usize>size * 32);
}

/**
 * Transforms the input buffer's two lanes (the input is not changed), then adds |X_A(f)|^2 and
 * then |X_B(f)|^2 (when `lanes` is 2) to the power sums, and clears the first `clear` points of
 * the input for the next series.
 */
export function transformAndAccumulate(lanes: i32, clear: i32): void {
  runStages();
  for (let f = 0; f < size; f++) {
    const re = v128.load(pOut + <usize>f * 32); const im = v128.load(pOut + <usize>f * 32, 16);
    const sq = f64x2.add(f64x2.mul(re, re), f64x2.mul(im, im));
    const o = pPower + <usize>f * 8;
    let p = load<f64>(o) + f64x2.extract_lane(sq, 0);
    if (lanes == 2) p += f64x2.extract_lane(sq, 1);
    store<f64>(o, p);
  }
  memory.fill(pIn, 0, <usize>clear * 32);
}

/** Transforms the input buffer's two lanes into the output buffer, for the host to read (the input is not changed). */
export function transform(): void {
  runStages();
}

/** Where transformAndAccumulate adds from now on (bytes): one kernel, several sums of spectra. */
export function setPower(power: usize): void {
  pPower = power;
}
