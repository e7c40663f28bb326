import { describe, expect, it } from 'vitest';
import { crystalPhase } from '../../../src/analysis/scattering/pdf-phase.js';
import { pdfReport, pdfTable } from '../../../src/analysis/scattering/pdf-report.js';
import { type SequentialFit, sequentialTable } from '../../../src/analysis/scattering/sequential-fit.js';
import { readStru } from '../../../src/io/stru.js';
import { sharedFixture } from '../../helpers.js';

describe('scatter pdf table', () => {
  it('names each phase in full, says when Qmax is off, and counts the sampled rows in words', () => {
    const ni = readStru(sharedFixture('pdf/Ni.stru'));
    const phases = [crystalPhase(ni, 'LiAlCl4_COD1004036.cif'), crystalPhase(ni, 'Ni.stru')];
    const data = { radiation: 'X' as const, qmax: 0, qdamp: 0, qbroad: 0, dscale: 1 };
    const t = pdfTable(pdfReport(phases, data, 1, 1.5, 0.01));
    expect(t).toMatch(/^LiAlCl4_COD1004036\.cif +4\.000/m);
    expect(t).toMatch(/^Ni\.stru +4\.000/m);
    expect(t).toMatch(/Qmax off \(no termination\), Qdamp 0 1\/A/);
    expect(t).toMatch(/\(1 in 2 of 51 points;/);
    const all = pdfTable(pdfReport(phases, { ...data, qmax: 25 }, 1, 1.2, 0.01));
    expect(all).toMatch(/Qmax 25 1\/A,/);
    expect(all).toMatch(/\(all of 21 points;/);
  });
});

describe('sequential fit table', () => {
  it('names every file in full (paths of a series differ at their start and end alike)', () => {
    const row = (file: string) => ({
      file,
      temperatureK: 300,
      rw: 0.1,
      reducedChi2: 2,
      converged: true,
      parameters: [{ id: 1, value: 3.52, sigma: 1e-4 }],
    });
    const files = ['series/run-a/300K/Ni-xray.gr', 'series/run-b/300K/Ni-xray.gr'];
    const t = sequentialTable({ rows: files.map(row) } as unknown as SequentialFit);
    for (const f of files) expect(t).toMatch(new RegExp(`^${f} +300`, 'm'));
    expect(t.split('\n').every((l) => l === l.trimEnd())).toBe(true);
  });
});
