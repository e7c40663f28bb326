/** Study files: defaults, and every kind of bad setting refused with the file and key path. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InsufficientDataError, OptionError } from '../../src/core/errors.js';
import { buildStudyModel, combineReplicas, readStudy, studyFromObject } from '../../src/study/index.js';
import { tempDir } from '../helpers.js';

// biome-ignore lint/suspicious/noExplicitAny: raw settings as a TOML file gives them, edited freely into each bad case
type RawSettings = Record<string, any>;

const good = () => ({
  model: { mix: '0b:8' },
  simulation: { series: { temperatures: [400, 500, 600] } },
});

describe('study file', () => {
  it('fills the defaults (seed 1, 1.9 g/cm3, one model, Li, 400-700 K fit extrapolated to 300 K)', () => {
    const s = studyFromObject(good(), '/x/my-study.toml');
    expect(s.name).toBe('my-study');
    expect(s.model).toMatchObject({
      mix: '0b:8',
      density: 1.9,
      seed: 1,
      replicas: 1,
      cation: 'Li',
      trimers: 8,
    });
    expect(s.transport).toMatchObject({
      species: 'Li',
      arrheniusMinK: 400,
      arrheniusMaxK: 700,
      extrapolateK: 300,
    });
    expect(s.model.supercell).toEqual([1, 1, 1]);
    expect(s.transport.fitStartPs).toBeUndefined();
    expect(s.protocol.series?.temperaturesK).toEqual([400, 500, 600]);
  });

  const bad: [string, (o: RawSettings) => void, RegExp][] = [
    ['a misspelt top-level table', (o) => (o.trasnport = {}), /s.toml: expected trasnport: a known setting/],
    ['a misspelt model key', (o) => (o.model.denisty = 2), /model.denisty: a known setting/],
    ['both mix and composition', (o) => (o.model.composition = 'LAOC^0b'), /model: either mix/],
    ['neither mix nor composition', (o) => delete o.model.mix, /model: either mix/],
    [
      'a negative density',
      (o) => (o.model.density = -1),
      /model.density: a positive number \(g\/cm3\), found "-1"/,
    ],
    ['a fractional seed', (o) => (o.model.seed = 1.5), /model.seed: a whole number/],
    ['0 replicas', (o) => (o.model.replicas = 0), /model.replicas: a whole number 1-100/],
    [
      'a supercell of two counts',
      (o) => (o.model.supercell = [2, 2]),
      /model.supercell: three whole repeat counts 1-20/,
    ],
    [
      'a fractional supercell count',
      (o) => (o.model.supercell = [2, 1.5, 2]),
      /model.supercell: three whole/,
    ],
    ['a model table that is a string', (o) => (o.model = 'x'), /model: a table/],
    [
      'a start structure (the study builds it)',
      (o) => (o.simulation.structure = 'a.xyz'),
      /simulation.structure: nothing/,
    ],
    ['no series', (o) => (o.simulation = { stage: [{ temperature: 300, time_ps: 1 }] }), /simulation.series/],
    [
      'a misspelt transport key',
      (o) => (o.transport = { specie: 'Li' }),
      /transport.specie: a known setting/,
    ],
    [
      'a negative fit start',
      (o) => (o.transport = { fit_start_ps: -1 }),
      /transport.fit_start_ps: a time >= 0/,
    ],
    [
      'one temperature in the window',
      (o) => (o.transport = { arrhenius_min: 550 }),
      /at least two series temperatures/,
    ],
  ];
  for (const [what, change, message] of bad)
    it(`refuses ${what}`, () => {
      const o = good() as RawSettings;
      change(o);
      expect(() => studyFromObject(o, 's.toml')).toThrow(message);
    });

  it('builds the packed cell repeated when asked (supercell = [2, 1, 1]: twice the atoms, twice a)', () => {
    const one = buildStudyModel(studyFromObject(good(), 's.toml'));
    const o = good() as RawSettings;
    o.model.supercell = [2, 1, 1];
    const two = buildStudyModel(studyFromObject(o, 's.toml'));
    expect(two.topology.natoms).toBe(2 * one.topology.natoms);
    expect(two.frame.lattice!.lengths[0]).toBeCloseTo(2 * one.frame.lattice!.lengths[0], 10);
    expect(two.frame.lattice!.lengths[1]).toBeCloseTo(one.frame.lattice!.lengths[1], 10);
    // The image keeps the packing: atom i of the second copy sits one a-vector from atom i.
    const n = one.topology.natoms;
    const a = one.frame.lattice!.lengths[0];
    for (const i of [0, 17, n - 1])
      expect(two.frame.positions[3 * (n + i)] - two.frame.positions[3 * i]).toBeCloseTo(a, 8);
  });

  it('reads TOML from a file and names it in errors', () => {
    const dir = tempDir();
    const f = join(dir, 'bad.toml');
    writeFileSync(
      f,
      '[model]\nmix = "0b:8"\ndensity = "high"\n[simulation.series]\ntemperatures = [400, 500]\n',
    );
    expect(() => readStudy(f)).toThrow(/bad.toml:3:1: expected model.density: a positive number/);
  });

  it('too little data is an InsufficientDataError (exit 1: "run longer"), not a usage error (exit 2)', () => {
    const spec = studyFromObject(good(), 's.toml');
    let err: unknown;
    try {
      combineReplicas(spec, [], []);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InsufficientDataError);
    expect(err).not.toBeInstanceOf(OptionError);
  });

  it('[structure]: on by default (centre = the transport species), off with enabled = false; bad cut-offs at their key', () => {
    const on = studyFromObject(good(), 's.toml');
    expect(on.structure).toEqual({ centre: 'Li', cutoffsA: {}, hysteresisA: 0.2 });
    const off = good() as RawSettings;
    off.structure = { enabled: false };
    expect(studyFromObject(off, 's.toml').structure).toBeNull();
    const given = good() as RawSettings;
    given.structure = { cutoffs: { Cl: 3.1 }, hysteresis: 0 };
    expect(studyFromObject(given, 's.toml').structure).toEqual({
      centre: 'Li',
      cutoffsA: { Cl: 3.1 },
      hysteresisA: 0,
    });
    const bad = good() as RawSettings;
    bad.structure = { cutoffs: { Cl: -1 } };
    expect(() => studyFromObject(bad, 's.toml')).toThrow(/structure.cutoffs: element = positive distance/);
    const unknown = good() as RawSettings;
    unknown.structure = { centers: 'Li' };
    expect(() => studyFromObject(unknown, 's.toml')).toThrow(/a known setting \(not "centers"\)/);
  });
});
