/**
 * The framework's summed displacement from the first frame, the drift of a transport analysis of
 * unwrapped input (AssemblyScript; built by `npm run build:wasm` into
 * src/analysis/transport/displacement-sums-wasm-bytes.ts). It runs on the thread that reads a DCD
 * ahead, over the frames in the ring its DCD frame kernel writes (the memory is imported and
 * shared; src/analysis/transport/displacement-sums-wasm.ts lays out its part). Its JavaScript twin,
 * the fallback and the test's reference, is sumDisplacementsUnwrapped in
 * src/analysis/transport/displacements.ts: the same operations in the same order, so the sums are
 * the same bit for bit (issue 28: the JavaScript loop took 3 to 5 ns an atom, the largest part of
 * the reading thread's time).
 */

/**
 * out[a] = sum over k < count of (p[3 i + a] - q[3 i + a]), i = atoms[k], summed in k order, for
 * a = 0, 1, 2 (p, q: interleaved f64 positions; atoms: u32; out: 3 f64; byte addresses).
 */
export function sumDisplacements(p: usize, q: usize, atoms: usize, count: i32, out: usize): void {
  let sx: f64 = 0;
  let sy: f64 = 0;
  let sz: f64 = 0;
  for (let k = 0; k < count; k++) {
    const o = (<usize>load<u32>(atoms + ((<usize>k) << 2))) * 24;
    sx += load<f64>(p + o) - load<f64>(q + o);
    sy += load<f64>(p + o, 8) - load<f64>(q + o, 8);
    sz += load<f64>(p + o, 16) - load<f64>(q + o, 16);
  }
  store<f64>(out, sx);
  store<f64>(out, sy, 8);
  store<f64>(out, sz, 16);
}
