/** DCD files built byte by byte for the tests (oligolyte writes no DCD). */

/** A little-endian CHARMM DCD with a unit cell record (A, gamma, B, beta, alpha, C) per frame. */
export const dcdBytes = (
  frames: { xyz: number[][]; cell?: number[] }[],
  header: { nset?: number; istart?: number; nsavc?: number } = {},
): Uint8Array => {
  const n = frames[0].xyz[0].length;
  const parts: Uint8Array[] = [];
  const record = (size: number, fill: (v: DataView) => void) => {
    const b = new Uint8Array(size + 8);
    const v = new DataView(b.buffer);
    v.setInt32(0, size, true);
    fill(new DataView(b.buffer, 4, size));
    v.setInt32(size + 4, size, true);
    parts.push(b);
  };
  record(84, (v) => {
    v.setUint8(0, 67);
    v.setUint8(1, 79);
    v.setUint8(2, 82);
    v.setUint8(3, 68); // CORD
    v.setInt32(4, header.nset ?? frames.length, true);
    v.setInt32(8, header.istart ?? 0, true);
    v.setInt32(12, header.nsavc ?? 1, true);
    v.setInt32(4 + 40, 1, true); // unit cell present
    v.setInt32(4 + 76, 24, true); // CHARMM version
  });
  record(84, (v) => v.setInt32(0, 1, true)); // one 80-character title line (blank)
  record(4, (v) => v.setInt32(0, n, true));
  for (const f of frames) {
    record(48, (v) => {
      for (const [i, x] of (f.cell ?? [10, 90, 10, 90, 90, 10]).entries()) v.setFloat64(8 * i, x, true);
    });
    for (const axis of f.xyz)
      record(4 * n, (v) => {
        for (const [i, x] of axis.entries()) v.setFloat32(4 * i, x, true);
      });
  }
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};
