import { describe, expect, it } from 'vitest';
import { canonicalJson, contentKey } from '../../src/sync/canonical';
import { decodeVector, encodeVector, VectorFormatError } from '../../src/sync/embedding';
import { formatHlc } from '../../src/sync/hlc';
import { pushRequestSchema, SYNC_LIMITS } from '../../src/sync/protocol';
import { lwwKey, syncTable } from '../../src/sync/registry';

const hlc = formatHlc({ ms: 1_700_000_000_000, counter: 0 });
const mutation = (over: Record<string, unknown> = {}) => ({
  mid: 1,
  table: 'program_steps',
  op: 'upsert',
  key: 's1',
  hlc,
  base: null,
  data: { id: 's1', title: 'One' },
  ...over,
});

describe('sync protocol schemas', () => {
  it('accepts a well-formed batch', () => {
    expect(pushRequestSchema.safeParse({ mutations: [mutation()] }).success).toBe(true);
  });

  it.each([
    ['an empty batch', { mutations: [] }],
    [
      'an oversized batch',
      {
        mutations: Array.from({ length: SYNC_LIMITS.batchMutations + 1 }, (_, i) =>
          mutation({ mid: i + 1 }),
        ),
      },
    ],
    ['an unknown top-level field', { mutations: [mutation()], tenantId: 'x' }],
    ['a zero mutation id', { mutations: [mutation({ mid: 0 })] }],
    ['a fractional mutation id', { mutations: [mutation({ mid: 1.5 })] }],
    ['a table name with SQL in it', { mutations: [mutation({ table: 'steps; DROP TABLE x' })] }],
    ['a malformed clock', { mutations: [mutation({ hlc: '2024-01-01' })] }],
    ['a column name with a quote', { mutations: [mutation({ data: { 'a"b': 1 } })] }],
    ['a nested object value', { mutations: [mutation({ data: { id: { $ne: 1 } } })] }],
    [
      'too many columns',
      {
        mutations: [
          mutation({
            data: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`c${i}`, i])),
          }),
        ],
      },
    ],
    [
      'an oversized value',
      { mutations: [mutation({ data: { lesson: 'x'.repeat(SYNC_LIMITS.valueChars + 1) } })] },
    ],
    [
      'an oversized vector',
      {
        mutations: [
          mutation({ embedding: { fingerprint: 'p/m@2', dims: 2, vector: 'A'.repeat(30_000) } }),
        ],
      },
    ],
    ['an unknown mutation field', { mutations: [mutation({ tenant: 'other' })] }],
  ])('rejects %s', (_name, body) => {
    expect(pushRequestSchema.safeParse(body).success).toBe(false);
  });
});

describe('hostile keys', () => {
  it('drops a __proto__ column instead of copying it onto the row', () => {
    const body = JSON.parse(
      '{"mutations":[{"mid":1,"table":"programs","op":"upsert","key":"p","hlc":"000000000000001-000000","base":null,"data":{"id":"p","__proto__":{"polluted":true}}}]}',
    );
    const parsed = pushRequestSchema.parse(body);
    const data = parsed.mutations[0]?.data ?? {};
    expect(Object.keys(data)).toEqual(['id']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
  });
});

describe('keys, canonical JSON and vectors', () => {
  it('hashes equal content equally whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }] })).toBe('{"a":[{"c":2,"d":1}],"b":1}');
    expect(contentKey({ a: 1, b: 'x' })).toBe(contentKey({ b: 'x', a: 1 }));
    expect(contentKey({ a: 1 })).not.toBe(contentKey({ a: 2 }));
  });

  it('builds single and composite editable keys', () => {
    const steps = syncTable('program_steps');
    const results = syncTable('eval_results');
    if (!steps || !results) throw new Error('registry lost a table');
    expect(lwwKey(steps, { id: 'abc' })).toBe('abc');
    expect(lwwKey(results, { run_id: 'r', case_id: 'c' })).toBe('["r","c"]');
    expect(syncTable('sqlite_master')).toBeUndefined();
  });

  it('round-trips float32 vectors and refuses wrong lengths and non-finite values', () => {
    const v = new Float32Array([0.5, -1.25, 3e-8]);
    expect(Array.from(decodeVector(encodeVector(v), 3))).toEqual(Array.from(v));
    expect(() => decodeVector(encodeVector(v), 4)).toThrow(VectorFormatError);
    expect(() => decodeVector(encodeVector(new Float32Array([Number.NaN])), 1)).toThrow(/finite/);
    expect(() => decodeVector('<script>AAAAAAA=', 1)).toThrow(/base64/);
    expect(() => decodeVector(`${encodeVector(v)}\n`, 3)).toThrow(/base64/);
  });
});
