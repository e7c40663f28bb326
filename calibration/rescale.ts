// Scale a periodic structure isotropically (cell and positions, so fractional coordinates stay) to a
// given volume: the start of a fixed-volume run at the mean volume of an NPT run.
// usage: npx tsx rescale.ts IN OUT VOLUME_A3
import { Lattice } from '../src/core/lattice.js';
import { readStructure, writeFrames } from '../src/io/registry.js';

const [input, output, volumeText] = process.argv.slice(2);
const volume = Number(volumeText);
if (!input || !output || !(volume > 0)) throw new Error('usage: rescale.ts IN OUT VOLUME_A3');
const s = await readStructure(input);
const lattice = s.frame.lattice;
if (!lattice) throw new Error(`${input}: not periodic`);
const f = Math.cbrt(volume / lattice.volume);
const positions = s.frame.positions.map((x) => x * f);
const matrix = lattice.matrix.map((x) => x * f);
await writeFrames(output, [{ ...s, frame: { ...s.frame, positions, lattice: new Lattice(matrix) } }]);
console.log(
  `${input}: volume ${lattice.volume.toFixed(1)} -> ${volume.toFixed(1)} A3 (x${f.toFixed(5)} in length)`,
);
