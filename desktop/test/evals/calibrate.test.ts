import { describe, expect, it } from 'vitest';
import { calibrateThreshold, evaluateThreshold, rocAuc } from '../../src/core/evals/calibrate';

const yes = (score: number) => ({ score, answerable: true });
const no = (score: number) => ({ score, answerable: false });

describe('refusal threshold calibration', () => {
  it('separates cleanly separable scores at a midpoint', () => {
    const choice = calibrateThreshold([no(0.1), no(0.2), no(0.3), yes(0.6), yes(0.8), yes(0.9)]);
    expect(choice.threshold).toBeCloseTo(0.45);
    expect(choice).toMatchObject({ answerRate: 1, refusalRate: 1, balancedAccuracy: 1 });
  });

  it('balances the two classes whatever their sizes', () => {
    // 9 answerable at 0.5..0.9 and one at 0.2; 2 unanswerable at 0.3 and 0.55.
    const samples = [0.5, 0.6, 0.7, 0.8, 0.9, 0.55, 0.65, 0.75, 0.85, 0.2].map(yes);
    samples.push(no(0.3), no(0.52));
    const choice = calibrateThreshold(samples);
    expect(choice.threshold).toBeCloseTo(0.535);
    expect(choice.answerRate).toBeCloseTo(0.8);
    expect(choice.refusalRate).toBe(1);
    expect(evaluateThreshold(samples, 0.25).balancedAccuracy).toBeLessThan(choice.balancedAccuracy);
  });

  it('keeps a minimum share of answerable questions answered', () => {
    const samples = [0.5, 0.6, 0.7, 0.8, 0.9, 0.55, 0.65, 0.75, 0.85, 0.2].map(yes);
    samples.push(no(0.3), no(0.52));
    const choice = calibrateThreshold(samples, { minAnswerRate: 0.9 });
    expect(choice.threshold).toBeCloseTo(0.4);
    expect(choice).toMatchObject({ answerRate: 0.9, refusalRate: 0.5 });
  });

  it('computes the ROC area and refuses one-class input', () => {
    expect(rocAuc([yes(1), yes(0.8), no(0.1), no(0.2)])).toBe(1);
    expect(rocAuc([yes(0.1), no(0.9)])).toBe(0);
    expect(rocAuc([yes(0.5), no(0.5)])).toBe(0.5);
    expect(() => calibrateThreshold([yes(1)])).toThrow(/both/);
  });
});
