/**
 * Seeded random numbers for reproducible builds (the same seed gives the same structure, byte for
 * byte): mulberry32 32-bit outputs, two per double for 53 random bits.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    if (!Number.isInteger(seed)) throw new RangeError(`a seed must be a whole number, got ${seed}`);
    this.state = seed | 0;
  }

  /** The generator's whole state (one 32-bit integer), for checkpoints. */
  getState(): number {
    return this.state;
  }

  /** Continue from a state returned by getState(). */
  setState(state: number): void {
    if (!Number.isInteger(state)) throw new RangeError(`a random state must be a whole number, got ${state}`);
    this.state = state | 0;
  }

  private next32(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = Math.imul(this.state ^ (this.state >>> 15), 1 | this.state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in (0, 1). */
  uniform(): number {
    return (this.next32() * 2097152 + (this.next32() >>> 11) + 0.5) / 9007199254740992;
  }

  /** Standard normal (Box-Muller, one value per call). */
  gaussian(): number {
    return Math.sqrt(-2 * Math.log(this.uniform())) * Math.cos(2 * Math.PI * this.uniform());
  }

  /** A uniformly random rotation matrix (row-major 3x3), from a uniform unit quaternion (Shoemake). */
  rotation(): Float64Array {
    const u1 = this.uniform();
    const u2 = 2 * Math.PI * this.uniform();
    const u3 = 2 * Math.PI * this.uniform();
    const a = Math.sqrt(1 - u1);
    const b = Math.sqrt(u1);
    const [w, x, y, z] = [a * Math.sin(u2), a * Math.cos(u2), b * Math.sin(u3), b * Math.cos(u3)];
    return Float64Array.of(
      1 - 2 * (y * y + z * z),
      2 * (x * y - z * w),
      2 * (x * z + y * w),
      2 * (x * y + z * w),
      1 - 2 * (x * x + z * z),
      2 * (y * z - x * w),
      2 * (x * z - y * w),
      2 * (y * z + x * w),
      1 - 2 * (x * x + y * y),
    );
  }
}
