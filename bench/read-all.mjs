/**
 * Reads every frame of a trajectory and prints the count and a checksum: oligolyte's side of the
 * reader comparison in bench/peers.ts, as a whole process (start-up included, as for the peers),
 * on the built library (npm run build) so that no TypeScript compilation is timed.
 *
 *   node bench/read-all.mjs FORMAT FILE
 */
import { readFrames } from '../dist/io/index.js';

const [format, path] = process.argv.slice(2);
let n = 0;
let checksum = 0;
for await (const s of readFrames(path, { format, typeMap: ['Li', 'Al', 'Cl'] })) {
  checksum += s.frame.positions[0];
  n++;
}
console.log(`oligolyte: ${n} frames, checksum ${checksum.toFixed(6)}`);
