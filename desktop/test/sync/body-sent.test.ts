import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bodySent } from '../../src/core/sync/body-sent';

// A server that reads the whole body, then answers only when the test says so.
let answer: (() => void) | undefined;
let received = 0;
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  let bytes = 0;
  req.on('data', (d: Buffer) => {
    bytes += d.length;
  });
  req.on('end', () => {
    received = bytes;
    answer = () => res.end('{}');
  });
});
let base = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('bodySent', () => {
  beforeEach(() => {
    answer = undefined;
    received = 0;
  });

  it('resolves once a large request body is written, before the answer comes', async () => {
    const body = 'x'.repeat(3_000_000);
    let answered = false;
    const sending = fetch(`${base}/prefix/v1/sync/push`, { method: 'POST', body }).then(
      async (res) => {
        answered = true;
        return res.text();
      },
    );
    await bodySent('/v1/sync/push', sending);
    expect(answered).toBe(false);
    // The server has (or is about to have) all of it without our event loop doing anything more.
    await expect.poll(() => received, { timeout: 5_000 }).toBe(body.length);
    answer?.();
    await sending;
    expect(answered).toBe(true);
  });

  it('gives up waiting when the request settles without a report (another path)', async () => {
    const sending = fetch(`${base}/elsewhere`, { method: 'POST', body: 'small' });
    const waited = bodySent('/v1/sync/push', sending);
    await expect.poll(() => received).toBe(5);
    answer?.();
    await waited;
    expect((await sending).status).toBe(200);
  });
});
