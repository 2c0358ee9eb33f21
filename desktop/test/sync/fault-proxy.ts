import { createServer, type Server, Socket } from 'node:net';
import { seededRandom } from '../helpers/seeded-random';

/**
 * A TCP proxy on 127.0.0.1 between the desktop and the sync server that injects network faults.
 * Each connection is closed once its response has gone idle, so every HTTP request gets a fresh
 * connection and its own fault, drawn from a seeded generator.
 */
export type Fault =
  | 'pass'
  | 'drop_request'
  | 'cut_request'
  | 'drop_response'
  | 'reset_response'
  | 'delay'
  | 'blackhole';

export interface FaultProxy {
  url: string;
  /** Faults chosen so far, per kind. */
  counts: Record<Fault, number>;
  setTarget(port: number): void;
  /** These faults first, in order, whatever the weights. */
  forceNext(faults: Fault[]): void;
  /** Weights of each fault (0 disables it); `pass` when all are 0. */
  setWeights(weights: Partial<Record<Fault, number>>): void;
  close(): Promise<void>;
}

const IDLE_CLOSE_MS = 40;

export async function startFaultProxy(
  targetPort: number,
  seed: number,
  delayMs = 30,
): Promise<FaultProxy> {
  const random = seededRandom(seed);
  let target = targetPort;
  let weights: Partial<Record<Fault, number>> = {};
  const counts: Record<Fault, number> = {
    pass: 0,
    drop_request: 0,
    cut_request: 0,
    drop_response: 0,
    reset_response: 0,
    delay: 0,
    blackhole: 0,
  };
  const sockets = new Set<Socket>();

  const forced: Fault[] = [];
  const pick = (): Fault => {
    const next = forced.shift();
    if (next) return next;
    const entries = Object.entries(weights).filter(([, w]) => (w ?? 0) > 0) as [Fault, number][];
    const total = entries.reduce((s, [, w]) => s + w, 0);
    let r = random() * Math.max(total, 1);
    for (const [fault, w] of entries) {
      if (r < w) return fault;
      r -= w;
    }
    return 'pass';
  };

  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    const fault = pick();
    counts[fault] += 1;
    if (fault === 'blackhole') {
      client.on('data', () => {});
      return;
    }
    const upstream = new Socket();
    sockets.add(upstream);
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    let idle: NodeJS.Timeout | undefined;
    const later = (fn: () => void) => (fault === 'delay' ? setTimeout(fn, delayMs) : fn());
    let sentRequest = false;
    client.on('data', (chunk: Buffer) => {
      if (fault === 'drop_request') return client.destroy();
      if (fault === 'cut_request' && !sentRequest) {
        sentRequest = true;
        upstream.write(chunk.subarray(0, Math.max(1, chunk.length >> 1)), () => upstream.destroy());
        return;
      }
      sentRequest = true;
      later(() => upstream.write(chunk));
    });
    upstream.on('data', (chunk: Buffer) => {
      if (fault === 'drop_response') {
        // The server has answered, so it has committed: the desktop must not find out.
        client.destroy();
        upstream.destroy();
        return;
      }
      if (fault === 'reset_response') {
        client.write(chunk.subarray(0, chunk.length >> 1), () => client.resetAndDestroy());
        upstream.destroy();
        return;
      }
      later(() => client.write(chunk));
      clearTimeout(idle);
      idle = setTimeout(() => client.end(), IDLE_CLOSE_MS + (fault === 'delay' ? delayMs : 0));
    });
    upstream.connect(target, '127.0.0.1');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('proxy has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    counts,
    setTarget: (port) => {
      target = port;
    },
    forceNext: (faults) => {
      forced.push(...faults);
    },
    setWeights: (w) => {
      weights = w;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
