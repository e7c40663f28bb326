/**
 * PDF refinement speed (issue 23): the PDFgui tutorial's Ni lesson 1 (Ni.stru against Ni-xray.gr,
 * Qmax 40, fit 1.7-20 A, refining dscale, Qdamp, a and Uiso from PDFgui's start), timed from the
 * parsed inputs to the refined result, with the refined values against the real PDFfit2's
 * (test/fixtures/scattering/pdffit2/pdffit2-tutorials.json) as a check. Also the CdSe bulk and
 * 3 nm fits (8 parameters, hexagonal cell). The first run of each warms the JIT and is reported
 * apart; the figure is the median of the next runs.
 *
 * CPU time (process.cpuUsage) is given beside the wall time: on a shared machine it is the figure
 * that carries over.
 *
 *   npm run bench:scattering -- [--runs 5] [--fits ni-lesson1,cdse-bulk]
 */
import { refinePdf } from '../src/analysis/scattering/pdf-fit.js';
import { tutorialFits, tutorialSetup } from '../test/analysis/scattering/pdffit2-tutorials.js';

const k = process.argv.indexOf('--runs');
const runs = k > 0 ? Number(process.argv[k + 1]) : 5;
const kf = process.argv.indexOf('--fits');
const only = kf > 0 ? process.argv[kf + 1].split(',') : undefined;
for (const f of tutorialFits().filter((x) => !only || only.includes(x.name))) {
  const spec = tutorialSetup(f, f.parametersStart);
  const run = () => refinePdf(spec);
  const n = f.name.startsWith('cdse-3nm') ? Math.min(runs, 2) : runs;
  let t = performance.now();
  let res = run();
  const first = performance.now() - t;
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < n; i++) {
    t = performance.now();
    const c = process.cpuUsage();
    res = run();
    const dc = process.cpuUsage(c);
    times.push(performance.now() - t);
    cpu.push((dc.user + dc.system) / 1000);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const worst = Math.max(
    ...res.parameters.map(
      (p) => Math.abs(p.value - f.converged.refined[p.id]) / f.converged.stdFromJacobian[p.id],
    ),
  );
  console.log(
    `${f.name.padEnd(18)} ${res.freeIds.length} parameters, ${res.points} points, ${res.iterations} iterations: ` +
      `median ${times[Math.floor(times.length / 2)].toFixed(0)} ms wall, ${cpu[Math.floor(cpu.length / 2)].toFixed(0)} ms CPU (first run ${first.toFixed(0)} ms); ` +
      `Rw ${res.rw.toFixed(6)} (PDFfit2 ${f.converged.rw.toFixed(6)}), largest |ours - PDFfit2| ${worst.toFixed(3)} sigma`,
  );
}
