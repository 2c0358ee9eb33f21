import { createServer, request, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';

/**
 * A reverse proxy on 127.0.0.1 that serves the sync server only under a path prefix, the way
 * nginx does with `location /creator-hub/ { proxy_pass http://server/; }`: the prefix is stripped
 * before forwarding (HTTP and WebSocket upgrades), anything outside it is a 404.
 */
export interface PrefixProxy {
  /** http://127.0.0.1:PORT/prefix/ */
  url: string;
  /** "METHOD /path?query" of every request that reached the proxy, as the client sent it. */
  seen: string[];
  /** Requests outside the prefix (answered 404). */
  outside: string[];
  close(): Promise<void>;
}

export async function startPrefixProxy(targetPort: number, prefix: string): Promise<PrefixProxy> {
  const seen: string[] = [];
  const outside: string[] = [];
  const sockets = new Set<Socket>();
  const strip = (url: string): string | undefined =>
    url.startsWith(`${prefix}/`) ? url.slice(prefix.length) : undefined;

  const server: Server = createServer((req, res) => {
    const line = `${req.method} ${req.url}`;
    seen.push(line);
    const path = strip(req.url ?? '');
    if (path === undefined) {
      outside.push(line);
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not under the prefix');
      return;
    }
    const upstream = request(
      { host: '127.0.0.1', port: targetPort, method: req.method, path, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });

  server.on('upgrade', (req, client: Socket, head: Buffer) => {
    const line = `${req.method} ${req.url}`;
    seen.push(line);
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    const path = strip(req.url ?? '');
    if (path === undefined) {
      outside.push(line);
      client.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1', () => {
      const headers: string[] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        headers.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      }
      upstream.write(`${req.method} ${path} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`);
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${prefix}/`,
    seen,
    outside,
    close: async () => {
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
