/**
 * A DCD frame's X, Y and Z records (float32, n values each) checked and interleaved into the
 * positions (doubles x0 y0 z0 x1 ...), four atoms at a time in SIMD lanes (AssemblyScript; built
 * by `npm run build:wasm` into src/io/binary/dcd-frame-wasm-bytes.ts). It runs on the thread that
 * reads a DCD ahead (src/io/read-ahead-worker.ts) and writes straight into the ring of frames the
 * analysing thread reads: the memory is imported and shared, laid out by the host
 * (src/io/binary/dcd-frame-wasm.ts). Its JavaScript twin, the fallback and the test's reference,
 * is interleaveChecked in src/io/formats/dcd.ts: every float32 becomes the same double, so the
 * positions are the same bit for bit (issue 28: the JavaScript loop took about 1.7 ns a value,
 * a third of the reading thread's time).
 */

/**
 * Interleaves the records at x, y and z (byte addresses; n float32 each) into n x 3 doubles at
 * out, and returns 1 when every value is finite and |v| <= limit, else 0 (NaN and infinities fail
 * the comparison: the host then finds the first bad value for its error).
 */
export function interleaveChecked(x: usize, y: usize, z: usize, out: usize, n: i32, limit: f32): i32 {
  const lim = f32x4.splat(limit);
  let ok = i32x4.splat(-1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const b = (<usize>i) << 2;
    const vx = v128.load(x + b);
    const vy = v128.load(y + b);
    const vz = v128.load(z + b);
    ok = v128.and(ok, f32x4.le(f32x4.abs(vx), lim));
    ok = v128.and(ok, f32x4.le(f32x4.abs(vy), lim));
    ok = v128.and(ok, f32x4.le(f32x4.abs(vz), lim));
    // Atoms i, i + 1 from the low lanes, i + 2, i + 3 from the high ones (moved down).
    const x01 = f64x2.promote_low_f32x4(vx);
    const y01 = f64x2.promote_low_f32x4(vy);
    const z01 = f64x2.promote_low_f32x4(vz);
    const x23 = f64x2.promote_low_f32x4(i32x4.shuffle(vx, vx, 2, 3, 0, 1));
    const y23 = f64x2.promote_low_f32x4(i32x4.shuffle(vy, vy, 2, 3, 0, 1));
    const z23 = f64x2.promote_low_f32x4(i32x4.shuffle(vz, vz, 2, 3, 0, 1));
    const o = out + (<usize>i) * 24;
    v128.store(o, i64x2.shuffle(x01, y01, 0, 2));
    v128.store(o, i64x2.shuffle(z01, x01, 0, 3), 16);
    v128.store(o, i64x2.shuffle(y01, z01, 1, 3), 32);
    v128.store(o, i64x2.shuffle(x23, y23, 0, 2), 48);
    v128.store(o, i64x2.shuffle(z23, x23, 0, 3), 64);
    v128.store(o, i64x2.shuffle(y23, z23, 1, 3), 80);
  }
  let good = v128.all_true<i32>(ok) ? 1 : 0;
  for (; i < n; i++) {
    const b = (<usize>i) << 2;
    const vx = load<f32>(x + b);
    const vy = load<f32>(y + b);
    const vz = load<f32>(z + b);
    if (!(Math.abs(vx) <= limit && Math.abs(vy) <= limit && Math.abs(vz) <= limit)) good = 0;
    const o = out + (<usize>i) * 24;
    store<f64>(o, <f64>vx);
    store<f64>(o, <f64>vy, 8);
    store<f64>(o, <f64>vz, 16);
  }
  return good;
}
