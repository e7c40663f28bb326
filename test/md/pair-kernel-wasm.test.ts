/**
 * The WebAssembly pair kernel (src/md/pair-kernel-wasm.ts, built from wasm/md-pair-kernel.ts) equals
 * its JavaScript twins ordinaryPairForces and specialPairForces (whose force kernel equals the reference direct sum,
 * test/md/md.test.ts) to rounding: DSF, Ewald's real-space term, Born-Mayer-Huggins pairs, and a
 * range of atoms as a force thread sums it; it refuses parameters beyond its erfc table; and the
 * committed module is what `npm run build:wasm` makes of the source.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildOligomer } from '../../src/builders/oligomer.js';
import { packGlass } from '../../src/builders/pack-glass.js';
import { supercell } from '../../src/builders/supercell.js';
import { type ForceField, LAOC_V1, LAOC_V4, withCoulomb } from '../../src/forcefield/force-field.js';
import { typeSystem } from '../../src/forcefield/typing.js';
import { ForceKernel, newForceOutput } from '../../src/md/force-kernel.js';
import {
  ACC_SIZE,
  ordinaryPairForces,
  type PairParams,
  specialPairForces,
} from '../../src/md/pair-forces.js';
import { WasmPairKernel, wasmPairKernelFits } from '../../src/md/pair-kernel-wasm.js';
import { imageShifts, PairListBuilder, specialPartners } from '../../src/md/pair-list.js';
import { seededRandom } from '../helpers.js';

const bornLaoc: ForceField = {
  ...LAOC_V4,
  name: 'born-test',
  born: {
    'Li-Cl_t': { a: 5.2, rho: 0.33, sigma: 2.4, c: 29, d: 35 },
    'O_br-Li': { a: 4.0, rho: 0.3, sigma: 2.1, c: 0, d: 0 },
    'Cl_t-Cl_t': { a: 1.5, rho: 0.34, sigma: 3.2, c: 1200, d: 2400 },
  },
};

/** The kernel's pair parameters for `ff` (as ForceKernel sets them up). */
const paramsOf = (ff: ForceField, s: ReturnType<typeof packGlass>): PairParams => {
  const sys = typeSystem(s, ff);
  const k = new ForceKernel(sys, ff, s.frame.lattice!);
  return (k as unknown as { params: PairParams }).params;
};

describe('WebAssembly pair kernel', () => {
  const s = packGlass({ units: [{ molecule: buildOligomer(), count: 8 }], seed: 1 });
  // Thermal noise on the positions, so that pairs sit anywhere in the table's intervals.
  const rnd = seededRandom(5);
  const x = Float64Array.from(s.frame.positions, (p) => p + 0.2 * (rnd() - 0.5));
  const n = x.length / 3;
  const cases: [string, ForceField][] = [
    ['DSF', LAOC_V1],
    ['Ewald real-space term', withCoulomb(LAOC_V1, 'ewald')],
    ['Born-Mayer-Huggins pairs', bornLaoc],
  ];
  for (const [label, ff] of cases)
    for (const [from, to] of [
      [0, n],
      [37, 90],
    ])
      it(`${label}, atoms ${from}..${to - 1}: forces, energies and virial equal ordinaryPairForces + specialPairForces to rounding`, () => {
        const P = paramsOf(ff, s);
        if (label.startsWith('Born')) expect(P.born.on.some((v) => v === 1)).toBe(true);
        const sys = typeSystem(s, ff);
        const list = new PairListBuilder(n, specialPartners(sys), ff.special).build(
          x,
          s.frame.lattice!,
          ff.cutoff + 2,
          from,
          to,
        );
        const shifts = new Float64Array(3 * list.imageCount);
        imageShifts(list, s.frame.lattice!.matrix, shifts);
        const fJs = new Float64Array(3 * n);
        const accJs = new Float64Array(ACC_SIZE);
        ordinaryPairForces(list, from, to, x, shifts, P, fJs, accJs);
        expect(list.specialCount).toBeGreaterThan(10);
        specialPairForces(list, x, shifts, P, fJs, accJs);
        expect(wasmPairKernelFits(P)).toBe(true);
        const kernel = new WasmPairKernel(n, P);
        kernel.setList(list, from, to);
        // Stale values in the output arrays must be overwritten.
        const fWasm = new Float64Array(3 * n).fill(7);
        const accWasm = new Float64Array(ACC_SIZE).fill(7);
        kernel.compute(x, shifts, list.imageCount, fWasm, accWasm);
        let fMax = 0;
        for (const f of fJs) fMax = Math.max(fMax, Math.abs(f));
        expect(fMax).toBeGreaterThan(1);
        for (let k = 0; k < fJs.length; k++) expect(Math.abs(fWasm[k] - fJs[k])).toBeLessThan(1e-12 * fMax);
        for (let k = 0; k < ACC_SIZE; k++)
          expect(Math.abs(accWasm[k] - accJs[k])).toBeLessThan(1e-12 * Math.max(1, Math.abs(accJs[k])));
        // The same list again, and after a fresh setList: the same numbers bitwise.
        const again = new Float64Array(3 * n);
        kernel.compute(x, shifts, list.imageCount, again, accWasm);
        expect(again).toEqual(fWasm);
      });

  it('a cell-list build (3,456 atoms), whole and a range as a thread sums it', () => {
    const big = supercell(s, [3, 3, 3]);
    const ff = LAOC_V1;
    const P = paramsOf(ff, big);
    const sys = typeSystem(big, ff);
    const m = sys.natoms;
    const xb = Float64Array.from(big.frame.positions, (p) => p + 0.2 * (rnd() - 0.5));
    const builder = new PairListBuilder(m, specialPartners(sys), ff.special);
    const kernel = new WasmPairKernel(m, P);
    for (const [from, to] of [
      [0, m],
      [500, 2100],
    ]) {
      const list = builder.build(xb, big.frame.lattice!, ff.cutoff + 2, from, to);
      const shifts = new Float64Array(3 * list.imageCount);
      imageShifts(list, big.frame.lattice!.matrix, shifts);
      const fJs = new Float64Array(3 * m);
      const accJs = new Float64Array(ACC_SIZE);
      ordinaryPairForces(list, from, to, xb, shifts, P, fJs, accJs);
      specialPairForces(list, xb, shifts, P, fJs, accJs);
      kernel.setList(list, from, to);
      const fWasm = new Float64Array(3 * m);
      const accWasm = new Float64Array(ACC_SIZE);
      kernel.compute(xb, shifts, list.imageCount, fWasm, accWasm);
      let fMax = 0;
      for (const f of fJs) fMax = Math.max(fMax, Math.abs(f));
      for (let k = 0; k < fJs.length; k++) expect(Math.abs(fWasm[k] - fJs[k])).toBeLessThan(1e-12 * fMax);
      for (let k = 0; k < ACC_SIZE; k++)
        expect(Math.abs(accWasm[k] - accJs[k])).toBeLessThan(1e-12 * Math.max(1, Math.abs(accJs[k])));
    }
  });

  it('refuses parameters whose alpha r leaves its erfc table (the force kernel then sums in JavaScript)', () => {
    const P = paramsOf(LAOC_V1, s);
    expect(wasmPairKernelFits(P)).toBe(true);
    const wide = { ...P, alpha: 0.7 };
    expect(wasmPairKernelFits(wide)).toBe(false);
    expect(() => new WasmPairKernel(n, wide)).toThrow(/cannot run/);
    // A force kernel with such a Coulomb term still works (JavaScript pairs) and is finite.
    const ff: ForceField = { ...LAOC_V1, coulomb: { method: 'dsf', alpha: 0.7 } };
    const k = new ForceKernel(typeSystem(s, ff), ff, s.frame.lattice!);
    const f = new Float64Array(3 * n);
    const out = newForceOutput();
    k.compute(x, f, out);
    expect(f.every(Number.isFinite)).toBe(true);
    expect(Number.isFinite(out.termsKcalMol.coulomb)).toBe(true);
  });

  it('the committed module is what npm run build:wasm makes of wasm/md-pair-kernel.ts', () => {
    const built = execFileSync(process.execPath, ['wasm/build.mjs', '--stdout', 'wasm/md-pair-kernel.ts'], {
      encoding: 'utf8',
    });
    expect(built).toBe(readFileSync('src/md/pair-kernel-wasm-bytes.ts', 'utf8'));
  }, 60_000);
});
