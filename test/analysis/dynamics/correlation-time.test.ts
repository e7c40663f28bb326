import { describe, expect, it } from 'vitest';
import { fitCorrelationTimes } from '../../../src/analysis/dynamics/correlation-time.js';
import { FrameClock } from '../../../src/analysis/dynamics/frame-clock.js';

const lags = Float64Array.from({ length: 3001 }, (_, k) => k * 0.01);

describe('correlation times', () => {
  it('an exact exponential: all three times equal tau, beta 1', () => {
    const c = lags.map((t) => Math.exp(-t / 2));
    const r = fitCorrelationTimes(lags, c);
    expect(r.exponential.tauPs).toBeCloseTo(2, 6);
    expect(r.exponential.amplitude).toBeCloseTo(1, 6);
    expect(r.stretched.beta).toBeCloseTo(1, 3);
    expect(r.stretched.meanTauPs).toBeCloseTo(2, 3);
    // Trapezoid over 0..30 ps of exp(-t/2): 2 (1 - e^-15) up to O(h^2).
    expect(r.integralPs).toBeCloseTo(2, 4);
    expect(r.decayed).toBe(true);
  });
  it('an exact stretched exponential (A 0.9, tau 3 ps, beta 0.6): recovered, <tau> = tau/beta Gamma(1/beta)', () => {
    const c = lags.map((t) => 0.9 * Math.exp(-((t / 3) ** 0.6)));
    const r = fitCorrelationTimes(lags, c);
    expect(r.stretched.beta).toBeCloseTo(0.6, 4);
    expect(r.stretched.tauPs).toBeCloseTo(3, 3);
    expect(r.stretched.amplitude).toBeCloseTo(0.9, 4);
    // Gamma(1/0.6) = Gamma(5/3) = 0.9027452929509336
    expect(r.stretched.meanTauPs).toBeCloseTo((3 / 0.6) * 0.9027452929509336, 2);
  });
  it('a correlation that has not decayed says so', () => {
    const c = lags.map((t) => Math.exp(-t / 500));
    expect(fitCorrelationTimes(lags, c).decayed).toBe(false);
  });
});

describe('frame clock', () => {
  it('takes the frames times, the option, or names what is missing or uneven', () => {
    const c = new FrameClock();
    for (const t of [0, 5, 10, 15]) c.push({ positions: new Float64Array(0), timeFs: t });
    expect(c.interval()).toEqual({ intervalFs: 5, from: 'file times' });
    expect(c.interval(2)).toEqual({ intervalFs: 2, from: 'option' });
    const u = new FrameClock();
    for (const t of [0, 5, 10, 16]) u.push({ positions: new Float64Array(0), timeFs: t });
    expect(() => u.interval()).toThrow(/frames 2 and 3 are 6 fs apart, not 5 fs/);
    const n = new FrameClock();
    n.push({ positions: new Float64Array(0) });
    n.push({ positions: new Float64Array(0) });
    expect(() => n.interval()).toThrow(/carry no times/);
    expect(() => n.interval(-1)).toThrow(/positive/);
  });
});
