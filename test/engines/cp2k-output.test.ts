/**
 * The CP2K engine's readers on committed CP2K 2023.1 outputs (test/fixtures/cp2k, PROVENANCE.md
 * there): no CP2K needed. Numbers are compared with the values CP2K printed in the same files.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ParseError, PhysicsError } from '../../src/core/errors.js';
import { BOHR_A } from '../../src/core/units.js';
import { AU_TIME_FS, cp2kInput } from '../../src/engines/cp2k/input.js';
import { readCp2kXyz, readNumberTable, velocitiesToAPerFs } from '../../src/engines/cp2k/md-files.js';
import { lastCell, lastXyzFrame } from '../../src/engines/cp2k/optimise.js';
import { cp2kAbortMessage, HARTREE_EV, parseCp2kOutput } from '../../src/engines/cp2k/output.js';
import { cp2kPreset, cp2kSettingsFromObject, cp2kSettingsTable } from '../../src/engines/cp2k/settings.js';
import { readStructure } from '../../src/io/registry.js';
import { fixture } from '../helpers.js';

const text = (f: string) => readFileSync(fixture(`cp2k/${f}`), 'utf8');

describe('parseCp2kOutput', () => {
  it('reads the energy, forces and stress of a single point in eV, eV/A and eV/A^3', () => {
    const out = text('licl-energy.out');
    const r = parseCp2kOutput(out, 'licl-energy.out', 8);
    expect(r.version).toBe('CP2K version 2023.1');
    // The ENERGY| line, in Hartree (CODATA 2018 conversion).
    expect(r.energyEv).toBeCloseTo(-90.341310311 * HARTREE_EV, 5);
    expect(r.elements).toEqual(['Li', 'Li', 'Li', 'Li', 'Cl', 'Cl', 'Cl', 'Cl']);
    expect(r.scfSteps.length).toBe(1);
    // Atom 5, z: 0.0000041401 Hartree/bohr as printed.
    expect(r.forcesEvA[3 * 4 + 2]).toBeCloseTo((0.0000041401 * HARTREE_EV) / BOHR_A, 12);
    // CP2K prints the pressure tensor (GPa; here -1.1317 on the diagonal: the cell pulls inward);
    // the frame's stress is its negative in eV/A^3.
    expect(r.pressureTensorGPa![0]).toBeCloseTo(-1.13170780471, 10);
    expect(r.stressEvA3![0]).toBeCloseTo(1.13170780471 / 160.2176634, 12);
    expect(r.stressEvA3![5]).toBeCloseTo(-r.pressureTensorGPa![5] / 160.2176634, 12);
  });

  it('an SCF that did not converge is an error naming the file and the line', () => {
    const out = text('licl-scf-failed.out');
    expect(() => parseCp2kOutput(out, 'licl-scf-failed.out')).toThrow(PhysicsError);
    expect(() => parseCp2kOutput(out, 'licl-scf-failed.out')).toThrow(
      /SCF did not converge \(licl-scf-failed\.out:\d+: "outer SCF loop FAILED/,
    );
  });

  it("CP2K's abort message is reported (a basis set missing for an element)", () => {
    const out = text('licl-no-basis.out');
    expect(cp2kAbortMessage(out)).toMatch(
      /^The requested basis set <NO-SUCH-BASIS> for element <Li> was not found in the basis set files <BASIS_MOLOPT> aobasis\/basis_set_types\.F:1509$/,
    );
    expect(() => parseCp2kOutput(out, 'x.out')).toThrow(/CP2K stopped \(x\.out\): The requested basis set/);
    expect(cp2kAbortMessage(text('licl-energy.out'))).toBeUndefined();
  });

  it('a truncated output is a ParseError that says what is missing', () => {
    const out = text('licl-energy.out');
    const cut = out.slice(0, out.indexOf('SUM OF ATOMIC FORCES'));
    expect(() => parseCp2kOutput(cut, 'cut.out')).toThrow(ParseError);
    expect(() => parseCp2kOutput(cut, 'cut.out')).toThrow(/SUM OF ATOMIC FORCES/);
    const noEnergy = out.replace(/ENERGY\| Total FORCE_EVAL/g, 'ENERGY| something else');
    expect(() => parseCp2kOutput(noEnergy, 'e.out')).toThrow(
      /e\.out: expected an "ENERGY\| Total FORCE_EVAL/,
    );
    const badForce = out.replace('-0.0000007460', '-0.00000x7460');
    expect(() => parseCp2kOutput(badForce, 'f.out')).toThrow(/f\.out:\d+: expected a force component/);
    expect(() => parseCp2kOutput(out, 'n.out', 9)).toThrow(/expected forces on 9 atoms, found "8 atoms"/);
  });

  it('an optimisation: the last evaluation, its trajectory frame and cell', () => {
    const r = parseCp2kOutput(text('licl-geo-opt.out'), 'geo.out', 8);
    expect(r.scfSteps.length).toBe(4);
    expect(r.energyEv).toBeCloseTo(-90.339986200453282 * HARTREE_EV, 6);
    const last = lastXyzFrame(text('licl-geo-opt-pos-1.xyz'), 'pos.xyz', 8);
    expect(last.step).toBe(3);
    expect(last.energyHartree! * HARTREE_EV).toBeCloseTo(r.energyEv, 4);
    expect(() => lastXyzFrame(text('licl-geo-opt-pos-1.xyz'), 'pos.xyz', 7)).toThrow(ParseError);
    const cell = lastCell(text('licl-geo-opt-1.cell'), 'c.cell');
    expect(Array.from(cell.matrix)).toEqual([5.1295, 0, 0, 0, 5.1295, 0, 0, 0, 5.1295]);
  });
});

describe('CP2K MD files', () => {
  it('positions, velocities (a.u. -> A/fs), forces, energies and stress of a 4-step NVT run', () => {
    const pos = readCp2kXyz(text('licl-md-pos-1.xyz'), 'pos');
    expect(pos.map((f) => f.step)).toEqual([0, 2, 4]);
    expect(pos[1].timeFs).toBe(2);
    expect(pos[0].elements.slice(0, 5)).toEqual(['Li', 'Li', 'Li', 'Li', 'Cl']);
    const vel = readCp2kXyz(text('licl-md-vel-1.xyz'), 'vel');
    const v = velocitiesToAPerFs(vel[0].values);
    expect(v[0]).toBeCloseTo((vel[0].values[0] * BOHR_A) / AU_TIME_FS, 15);
    const ener = readNumberTable(text('licl-md-1.ener'), 'ener', 7, 'energies');
    expect(ener.map((r) => r[0])).toEqual([0, 1, 2, 3, 4]);
    // Kinetic energy and temperature agree: T = 2 K / (3N - 3) k_B for 8 atoms (CP2K removes the
    // centre-of-mass motion's 3 degrees of freedom).
    const [, , kin, T] = ener[2];
    expect((2 * kin * HARTREE_EV) / (21 * 8.617333262e-5)).toBeCloseTo(T, 3);
    const stress = readNumberTable(text('licl-md-1.stress'), 'stress', 11, 'stress');
    expect(stress.length).toBe(5);
    expect(() => readNumberTable('1 2 3\n', 'bad.ener', 7, 'energies')).toThrow(
      /bad\.ener:1: expected 7 numbers/,
    );
  });
});

describe('settings and input', () => {
  it('the pbe-d3 preset: the study settings, every one overridable from a table', () => {
    const s = cp2kPreset('pbe-d3');
    expect(s).toMatchObject({
      functional: 'PBE',
      dispersion: 'd3',
      basis: 'DZVP-MOLOPT-SR-GTH',
      potential: 'GTH-PBE',
      cutoffRy: 400,
      relCutoffRy: 60,
      epsScf: 1e-6,
      scf: 'ot',
    });
    const o = cp2kSettingsFromObject({ preset: 'pbe-d3', cutoff: 500, dispersion: 'd3bj' }, 'x.toml');
    expect(o.cutoffRy).toBe(500);
    expect(o.dispersion).toBe('d3bj');
    expect(cp2kSettingsTable(o)).toMatchObject({ preset: 'pbe-d3', cutoff: 500, dispersion: 'd3bj' });
    expect(() => cp2kSettingsFromObject({ cutof: 500 }, 'x.toml')).toThrow(
      /x\.toml: expected cutof: a known setting \(not "cutof"\)/,
    );
    expect(() => cp2kSettingsFromObject({ cutoff: -1 }, 'x.toml')).toThrow(
      /cutoff: a positive number \(Ry\)/,
    );
    expect(() => cp2kPreset('b3lyp')).toThrow(/unknown CP2K preset "b3lyp"/);
  });

  it('the input: cell and coordinates in A, one KIND per element, the settings written out', async () => {
    const s = await readStructure(fixture('cp2k/licl-rattled.extxyz'));
    const inp = cp2kInput(s, cp2kPreset('pbe-d3'), { kind: 'energy' });
    expect(inp).toMatch(/RUN_TYPE ENERGY_FORCE/);
    expect(inp).toMatch(/CUTOFF 400\n\s+REL_CUTOFF 60/);
    expect(inp).toMatch(/TYPE DFTD3\n/);
    expect(inp).toMatch(/EPS_SCF 1e-6/);
    expect(inp).toMatch(/A 5\.1295 0 0\n\s+B 0 5\.1295 0/);
    expect(inp.match(/&KIND (\w+)/g)).toEqual(['&KIND Li', '&KIND Cl']);
    expect(inp.match(/^\s+(Li|Cl) \S+ \S+ \S+$/gm)?.length).toBe(8);
    const md = cp2kInput(s, cp2kPreset('pbe-d3'), {
      kind: 'md',
      ensemble: 'nvt',
      temperatureK: 300,
      timeStepFs: 1,
      steps: 10,
      thermostat: 'csvr',
      timeConstantFs: 100,
      dumpEvery: 5,
      thermoEvery: 1,
      velocities: new Float64Array(24).fill(0.01),
      seed: 3,
    });
    expect(md).toMatch(/ENSEMBLE NVT/);
    expect(md).toMatch(/TYPE CSVR\n\s+&CSVR\n\s+TIMECON 100/);
    // 0.01 A/fs in bohr per atomic time unit.
    expect(md).toContain(`${((0.01 * AU_TIME_FS) / BOHR_A).toPrecision(15).replace(/0+$/, '')}`);
    expect(() =>
      cp2kInput({ ...s, frame: { positions: s.frame.positions } }, cp2kPreset('pbe-d3'), { kind: 'energy' }),
    ).toThrow(/periodic cell/);
  });
});
