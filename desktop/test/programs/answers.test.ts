import { describe, expect, it } from 'vitest';
import { parseAnswer } from '../../src/core/programs/answers';

const choice = {
  kind: 'choice' as const,
  prompt: 'Pick',
  options: ['Tea', 'Coffee', 'Water'],
  multiple: false,
};

describe('check-in answers', () => {
  it('reads each kind', () => {
    expect(parseAnswer({ kind: 'scale', prompt: 'p' }, ' 10 ')).toBe(10);
    expect(parseAnswer({ kind: 'yes_no', prompt: 'p' }, 'No')).toBe(false);
    expect(parseAnswer({ kind: 'yes_no', prompt: 'p' }, true)).toBe(true);
    expect(parseAnswer({ kind: 'text', prompt: 'p' }, '  fine ')).toBe('fine');
    expect(parseAnswer(choice, 'coffee')).toBe('Coffee');
    expect(parseAnswer(choice, '3')).toBe('Water');
    expect(parseAnswer({ ...choice, multiple: true }, 'tea,2,Tea')).toEqual(['Tea', 'Coffee']);
  });

  it('refuses answers that do not fit, saying why', () => {
    expect(() => parseAnswer({ kind: 'scale', prompt: 'p' }, '0')).toThrow(/from 1 to 10/);
    expect(() => parseAnswer({ kind: 'scale', prompt: 'p' }, '7.5')).toThrow(/whole number/);
    expect(() => parseAnswer({ kind: 'scale', prompt: 'p' }, 'NaN')).toThrow(/whole number/);
    expect(() => parseAnswer({ kind: 'yes_no', prompt: 'p' }, 'maybe')).toThrow(/not yes or no/);
    expect(() => parseAnswer({ kind: 'text', prompt: 'p' }, '   ')).toThrow(/1 to 2000/);
    expect(() => parseAnswer({ kind: 'text', prompt: 'p' }, 'x'.repeat(2001))).toThrow(/1 to 2000/);
    expect(() => parseAnswer(choice, 'Tea,Water')).toThrow(/exactly one/);
    expect(() => parseAnswer(choice, '4')).toThrow(/not one of the options/);
    expect(() => parseAnswer(choice, '__proto__')).toThrow(/not one of the options/);
  });
});
