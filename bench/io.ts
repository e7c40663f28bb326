/**
 * Trajectory reading speed and memory (issue: foundation). Generates a random-walk trajectory of
 * 2,000 atoms x 5,000 frames (override: --atoms N --frames N) in XDATCAR, extended XYZ and LAMMPS
 * dump text, then streams each file through readFrames and reports MB/s, frames/s and the peak
 * resident memory during the read (sampled every 50 frames), plus the memory at 10 % of the frames,
 * to show that memory does not grow with the number of frames.
 *
 *   npm run bench:io -- [--atoms 2000] [--frames 5000] [--keep DIR]
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Lattice } from '../src/core/lattice.js';
import { readFrames } from '../src/io/registry.js';
import { TextSink } from '../src/io/text-sink.js';

const arg = (name: string, def: number) => {
  const k = process.argv.indexOf(`--${name}`);
  return k > 0 ? Number(process.argv[k + 1]) : def;
};
const natoms = arg('atoms', 2000);
const nframes = arg('frames', 5000);
const keepIdx = process.argv.indexOf('--keep');
const dir = keepIdx > 0 ? process.argv[keepIdx + 1] : mkdtempSync(join(tmpdir(), 'oligolyte-bench-'));
mkdirSync(dir, { recursive: true });

const lattice = Lattice.cubic(30);
const symbols = Array.from({ length: natoms }, (_, i) => (i % 5 === 0 ? 'Li' : i % 5 === 1 ? 'Al' : 'Cl'));

/** Gaussian random walk (seeded), wrapped into the cell as MD codes write it. */
function* walk(): Generator<Float64Array> {
  let seed = 12345;
  const rnd = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) | 0;
    return (seed >>> 0) / 4294967296;
  };
  const frac = Float64Array.from({ length: 3 * natoms }, rnd);
  for (let k = 0; k < nframes; k++) {
    for (let i = 0; i < frac.length; i++) {
      frac[i] += (rnd() - 0.5) * 0.004;
      frac[i] -= Math.floor(frac[i]);
    }
    yield frac;
  }
}

/**
 * The files are written with the precision the producing codes use (VASP XDATCAR: 8 decimals of
 * fractional coordinates; ASE extxyz: %16.8f; LAMMPS dump custom: %g, here 6 decimals), not with
 * oligolyte's own lossless writers, whose 17-digit numbers take the slower exact parsing path.
 */
const writeRealistic = async (format: string, path: string) => {
  const sink = new TextSink(path);
  const cart = new Float64Array(3 * natoms);
  let k = 0;
  const header = `bench\n1.0\n 30.0 0.0 0.0\n 0.0 30.0 0.0\n 0.0 0.0 30.0\n Li Al Cl\n ${natoms / 5} ${natoms / 5} ${(3 * natoms) / 5}\n`;
  // XDATCAR needs species grouped; the generated atoms are ordered Li, Al, Cl, Cl, Cl repeating, so
  // the grouped order is used for every format.
  const order = [...symbols.keys()].sort(
    (a, b) => 'LAC'.indexOf(symbols[a][0]) - 'LAC'.indexOf(symbols[b][0]),
  );
  if (format === 'xdatcar') sink.write(header);
  for (const frac of walk()) {
    const lines: string[] = [];
    if (format === 'xdatcar') {
      lines.push(`Direct configuration= ${String(k + 1).padStart(5)}`);
      for (const i of order)
        lines.push(
          `  ${frac[3 * i].toFixed(8)}  ${frac[3 * i + 1].toFixed(8)}  ${frac[3 * i + 2].toFixed(8)}`,
        );
    } else {
      lattice.toCartesian(frac, cart);
      if (format === 'extxyz') {
        lines.push(
          String(natoms),
          `Lattice="30.0 0.0 0.0 0.0 30.0 0.0 0.0 0.0 30.0" Properties=species:S:1:pos:R:3 time=${2 * k} pbc="T T T"`,
        );
        for (const i of order)
          lines.push(
            `${symbols[i].padEnd(2)} ${cart[3 * i].toFixed(8).padStart(16)} ${cart[3 * i + 1].toFixed(8).padStart(16)} ${cart[3 * i + 2].toFixed(8).padStart(16)}`,
          );
      } else {
        lines.push(
          'ITEM: TIMESTEP',
          String(10 * k),
          'ITEM: NUMBER OF ATOMS',
          String(natoms),
          'ITEM: BOX BOUNDS pp pp pp',
          '0 30',
          '0 30',
          '0 30',
          'ITEM: ATOMS id type x y z',
        );
        for (const [j, i] of order.entries())
          lines.push(
            `${j + 1} ${'LAC'.indexOf(symbols[i][0]) + 1} ${cart[3 * i].toFixed(6)} ${cart[3 * i + 1].toFixed(6)} ${cart[3 * i + 2].toFixed(6)}`,
          );
      }
    }
    sink.write(`${lines.join('\n')}\n`);
    await sink.flush();
    k++;
  }
  await sink.commit();
};

const files: [string, string][] = [
  ['xdatcar', join(dir, 'XDATCAR')],
  ['extxyz', join(dir, 'walk.extxyz')],
  ['lammps-dump', join(dir, 'walk.lammpstrj')],
];

const mb = (b: number) => b / 1e6;
console.log(`trajectory: ${natoms} atoms x ${nframes} frames, in ${dir}`);
const rows: string[] = [];
for (const [format, path] of files) {
  let t = performance.now();
  try {
    statSync(path);
  } catch {
    await writeRealistic(format, path);
    console.log(
      `  wrote ${format} (${mb(statSync(path).size).toFixed(0)} MB) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
  }
  const size = statSync(path).size;
  (globalThis as { gc?: () => void }).gc?.();
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  let at10 = 0;
  let n = 0;
  let checksum = 0;
  t = performance.now();
  for await (const s of readFrames(path, { format, typeMap: ['Li', 'Al', 'Cl'] })) {
    checksum += s.frame.positions[0];
    n++;
    if (n % 50 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    if (n === Math.round(nframes / 10)) at10 = process.memoryUsage().rss;
  }
  const s = (performance.now() - t) / 1000;
  if (n !== nframes || !Number.isFinite(checksum))
    throw new Error(`${format}: read ${n} frames of ${nframes}`);
  rows.push(
    `| ${format.padEnd(11)} | ${mb(size).toFixed(0).padStart(6)} | ${s.toFixed(2).padStart(6)} | ${(mb(size) / s).toFixed(0).padStart(5)} | ${(n / s).toFixed(0).padStart(7)} | ${mb(at10).toFixed(0).padStart(6)} | ${mb(peak).toFixed(0).padStart(6)} |`,
  );
}
console.log('\n| format      | MB     | s      | MB/s  | frames/s | RSS at 10 % (MB) | peak RSS (MB) |');
console.log('|-------------|--------|--------|-------|----------|--------|--------|');
for (const r of rows) console.log(r);
if (keepIdx < 0) rmSync(dir, { recursive: true, force: true });
