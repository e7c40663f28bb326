/**
 * Decompression of GROMACS XTC coordinates (Frans van Hoesel's algorithm, as described in the
 * GROMACS libxdrf documentation): integer coordinates (x * precision) are stored as mixed-radix
 * packed triplets, with runs of small differences between neighbouring atoms coded in fewer bits.
 */

/** Magic bit-size table of the XTC format. Halves of its entries are taken with integer division (as in C). */
const MAGIC_INTS = Int32Array.from([
  0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 10, 12, 16, 20, 25, 32, 40, 50, 64, 80, 101, 128, 161, 203, 256, 322, 406,
  512, 645, 812, 1024, 1290, 1625, 2048, 2580, 3250, 4096, 5060, 6501, 8192, 10321, 13003, 16384, 20642,
  26007, 32768, 41285, 52015, 65536, 82570, 104031, 131072, 165140, 208063, 262144, 330280, 416127, 524287,
  660561, 832255, 1048576, 1321122, 1664510, 2097152, 2642245, 3329021, 4194304, 5284491, 6658042, 8388607,
  10568983, 13316085, 16777216,
]);
const FIRST_IDX = 9;
const LAST_IDX = MAGIC_INTS.length;

/** Number of bits needed to store integers in [0, size). */
const bitsFor = (size: number): number => {
  let bits = 0;
  let num = 1;
  while (size >= num && bits < 32) {
    bits++;
    num *= 2;
  }
  return bits;
};

/** Bits needed to store the mixed-radix product of `sizes` (multi-byte arithmetic, little-endian bytes). */
const bitsForProduct = (sizes: ArrayLike<number>): number => {
  const bytes = new Uint8Array(32);
  bytes[0] = 1;
  let nbytes = 1;
  for (let i = 0; i < sizes.length; i++) {
    let carry = 0;
    let k = 0;
    for (; k < nbytes; k++) {
      carry += bytes[k] * sizes[i];
      bytes[k] = carry & 0xff;
      carry = Math.floor(carry / 256);
    }
    while (carry !== 0) {
      bytes[k++] = carry & 0xff;
      carry = Math.floor(carry / 256);
    }
    nbytes = k;
  }
  let bits = 0;
  let num = 1;
  nbytes--;
  while (bytes[nbytes] >= num) {
    bits++;
    num *= 2;
  }
  return bits + nbytes * 8;
};

/** A big-endian bit stream over the compressed bytes. */
class BitReader {
  private cnt = 0;
  private lastBits = 0;
  private lastByte = 0;
  constructor(private readonly data: Uint8Array) {}

  /** Bytes read so far. */
  get consumed(): number {
    return this.cnt;
  }

  bits(n: number): number {
    const mask = n >= 32 ? 0xffffffff : 2 ** n - 1;
    let num = 0;
    let nb = n;
    const d = this.data;
    while (nb >= 8) {
      if (this.cnt >= d.length) throw new RangeError('compressed coordinate data ends early');
      this.lastByte = ((this.lastByte << 8) | d[this.cnt++]) & 0xffff;
      num += ((this.lastByte >>> this.lastBits) & 0xff) * 2 ** (nb - 8);
      nb -= 8;
    }
    if (nb > 0) {
      if (this.lastBits < nb) {
        if (this.cnt >= d.length) throw new RangeError('compressed coordinate data ends early');
        this.lastBits += 8;
        this.lastByte = ((this.lastByte << 8) | d[this.cnt++]) & 0xffff;
      }
      this.lastBits -= nb;
      num += (this.lastByte >>> this.lastBits) & ((1 << nb) - 1);
    }
    return num % (mask + 1);
  }

  /** Unpack three integers stored as one mixed-radix number of `nbits` bits with radices `sizes`. */
  ints3(nbits: number, sizes: ArrayLike<number>, out: Int32Array, o: number): void {
    const bytes = this.scratch;
    bytes.fill(0);
    let nbytes = 0;
    let nb = nbits;
    while (nb > 8) {
      bytes[nbytes++] = this.bits(8);
      nb -= 8;
    }
    if (nb > 0) bytes[nbytes++] = this.bits(nb);
    for (let i = 2; i > 0; i--) {
      let num = 0;
      for (let j = nbytes - 1; j >= 0; j--) {
        num = num * 256 + bytes[j];
        const p = Math.floor(num / sizes[i]);
        bytes[j] = p;
        num -= p * sizes[i];
      }
      out[o + i] = num;
    }
    out[o] = bytes[0] + bytes[1] * 256 + bytes[2] * 65536 + bytes[3] * 16777216;
  }
  private readonly scratch = new Float64Array(32);
}

export interface XtcCompressed {
  precision: number;
  minint: Int32Array;
  maxint: Int32Array;
  smallidx: number;
  data: Uint8Array;
}

/** Decode n atoms' coordinates (in the file's units, nm) into out[0 .. 3n). */
export const decompressXtc = (n: number, c: XtcCompressed, out: Float64Array): void => {
  const { minint, maxint } = c;
  const sizeint = [maxint[0] - minint[0] + 1, maxint[1] - minint[1] + 1, maxint[2] - minint[2] + 1];
  if (sizeint.some((s) => s <= 0)) throw new RangeError('corrupt XTC frame: maxint < minint');
  let bitsize = 0;
  const bitsizeint = [0, 0, 0];
  if ((sizeint[0] | sizeint[1] | sizeint[2]) > 0xffffff || sizeint.some((s) => s > 0xffffff)) {
    for (let k = 0; k < 3; k++) bitsizeint[k] = bitsFor(sizeint[k]);
  } else bitsize = bitsForProduct(sizeint);
  let smallidx = c.smallidx;
  if (smallidx < FIRST_IDX || smallidx >= LAST_IDX)
    throw new RangeError(`corrupt XTC frame: small index ${smallidx}`);
  let smaller = MAGIC_INTS[Math.max(FIRST_IDX, smallidx - 1)] >> 1;
  let smallnum = MAGIC_INTS[smallidx] >> 1;
  const sizesmall = [MAGIC_INTS[smallidx], MAGIC_INTS[smallidx], MAGIC_INTS[smallidx]];
  const br = new BitReader(c.data);
  const inv = 1 / c.precision;
  const cur = new Int32Array(3);
  const prev = new Int32Array(3);
  let run = 0;
  let i = 0;
  let o = 0;
  const emit = (v: Int32Array) => {
    if (o + 3 > 3 * n) throw new RangeError('corrupt XTC frame: more coordinates than atoms');
    // The writer stores minint/maxint as the range of the frame's integer coordinates: a
    // decoded one outside it comes from corrupted bits.
    for (let d = 0; d < 3; d++)
      if (v[d] < minint[d] || v[d] > maxint[d])
        throw new RangeError(
          `corrupt XTC frame: atom ${o / 3 + 1} decodes outside the frame's coordinate range (${'xyz'[d]} ${v[d]} not in ${minint[d]}..${maxint[d]})`,
        );
    out[o++] = v[0] * inv;
    out[o++] = v[1] * inv;
    out[o++] = v[2] * inv;
  };
  while (i < n) {
    if (bitsize === 0) {
      cur[0] = br.bits(bitsizeint[0]);
      cur[1] = br.bits(bitsizeint[1]);
      cur[2] = br.bits(bitsizeint[2]);
    } else br.ints3(bitsize, sizeint, cur, 0);
    i++;
    cur[0] += minint[0];
    cur[1] += minint[1];
    cur[2] += minint[2];
    prev.set(cur);
    const flag = br.bits(1);
    let isSmaller = 0;
    if (flag === 1) {
      run = br.bits(5);
      isSmaller = run % 3;
      run -= isSmaller;
      isSmaller--;
    }
    if (run > 0) {
      for (let k = 0; k < run; k += 3) {
        br.ints3(smallidx, sizesmall, cur, 0);
        i++;
        cur[0] += prev[0] - smallnum;
        cur[1] += prev[1] - smallnum;
        cur[2] += prev[2] - smallnum;
        if (k === 0) {
          // The first two atoms of a run are stored swapped (better compression of water).
          const t0 = cur[0];
          const t1 = cur[1];
          const t2 = cur[2];
          cur[0] = prev[0];
          cur[1] = prev[1];
          cur[2] = prev[2];
          prev[0] = t0;
          prev[1] = t1;
          prev[2] = t2;
          emit(prev);
        } else prev.set(cur);
        emit(cur);
      }
    } else emit(cur);
    smallidx += isSmaller;
    if (isSmaller < 0) {
      smallnum = smaller;
      smaller = smallidx > FIRST_IDX ? MAGIC_INTS[smallidx - 1] >> 1 : 0;
    } else if (isSmaller > 0) {
      smaller = smallnum;
      smallnum = MAGIC_INTS[smallidx] >> 1;
    }
    if (smallidx < FIRST_IDX || smallidx >= LAST_IDX)
      throw new RangeError('corrupt XTC frame: small index out of range');
    sizesmall[0] = sizesmall[1] = sizesmall[2] = MAGIC_INTS[smallidx];
  }
  if (o !== 3 * n) throw new RangeError(`corrupt XTC frame: ${o / 3} coordinates for ${n} atoms`);
  // The writer stores the byte count of the bits it wrote: decoding stops in its last byte.
  if (br.consumed !== c.data.length)
    throw new RangeError(
      `corrupt XTC frame: the coordinates take ${br.consumed} of its ${c.data.length} compressed bytes`,
    );
};
