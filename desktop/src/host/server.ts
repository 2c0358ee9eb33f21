import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { ApiErrorCode } from '@creator-hub/shared/api/index';
import { WebSocketServer } from 'ws';
import type { DesktopApi } from '../core/api/create-api';
import { contentSecurityPolicy } from '../core/api/csp';
import { dispatch } from '../core/api/dispatch';
import { stageUpload, UploadTooLarge } from '../core/api/uploads';
import { bearer, HttpError, parseJson, readBody, sendJson, tokensMatch } from './http-util';
import { serveStatic } from './static-files';

export interface HostOptions {
  api: DesktopApi;
  /** The workspace folder (uploads are staged under it). */
  home: string;
  /** The built renderer (index.html and assets). */
  rendererDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Random per launch unless a test passes one. */
  token?: string;
  /** JSON bodies above this are refused with 413. */
  maxJsonBytes?: number;
  maxUploadBytes?: number;
}

export interface Host {
  url: string;
  /** The URL to open: the token travels in the fragment, which browsers never send to servers. */
  openUrl: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const STATUS: Record<ApiErrorCode, number> = {
  invalid_input: 400,
  unknown_method: 404,
  not_found: 404,
  unavailable: 503,
  conflict: 409,
  cancelled: 409,
  failed: 500,
};

/**
 * Browser mode: the renderer and the same API as Electron, over HTTP (calls) and a WebSocket
 * (streamed events), on 127.0.0.1 only. Every API call and the socket need the launch token; the
 * Host header must name this server (DNS rebinding) and a cross-site Origin is refused.
 */
export async function startHost(options: HostOptions): Promise<Host> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const rendererDir = resolve(options.rendererDir);
  const maxJson = options.maxJsonBytes ?? 1_000_000;
  const maxUpload = options.maxUploadBytes ?? 200_000_000;
  let origin = '';
  let allowedHosts = new Set<string>();
  let allowedOrigins = new Set<string>();

  const checkHostAndOrigin = (req: IncomingMessage) => {
    if (!allowedHosts.has(req.headers.host ?? '')) {
      throw new HttpError(421, 'wrong_host', 'this server answers only on 127.0.0.1');
    }
    const from = req.headers.origin;
    if (from !== undefined && !allowedOrigins.has(from)) {
      throw new HttpError(403, 'wrong_origin', 'requests from other sites are refused');
    }
  };
  const requireToken = (req: IncomingMessage) => {
    if (!tokensMatch(bearer(req), token)) {
      throw new HttpError(401, 'unauthorized', 'missing or wrong token');
    }
  };

  async function handleApi(req: IncomingMessage, res: ServerResponse, name: string) {
    if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'use POST');
    requireToken(req);
    const type = req.headers['content-type'] ?? '';
    if (!type.startsWith('application/json')) {
      throw new HttpError(415, 'unsupported_media_type', 'send application/json');
    }
    const payload = parseJson(await readBody(req, maxJson));
    const result = await dispatch(options.api.handlers, name, payload);
    if (result.ok) sendJson(res, 200, result.value);
    else sendJson(res, STATUS[result.error.code], { error: result.error });
  }

  async function handleUpload(req: IncomingMessage, res: ServerResponse, url: URL) {
    if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'use POST');
    requireToken(req);
    const name = url.searchParams.get('name') ?? '';
    if (name.length === 0 || name.length > 500) {
      throw new HttpError(400, 'bad_name', 'the upload needs a file name');
    }
    if (Number(req.headers['content-length'] ?? '0') > maxUpload) {
      throw new HttpError(413, 'too_large', `the file is over ${maxUpload} bytes`);
    }
    try {
      sendJson(res, 200, await stageUpload(options.home, name, req, maxUpload));
    } catch (error) {
      if (error instanceof UploadTooLarge) throw new HttpError(413, 'too_large', error.message);
      throw error;
    }
  }

  async function route(req: IncomingMessage, res: ServerResponse) {
    checkHostAndOrigin(req);
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname.startsWith('/api/')) return handleApi(req, res, url.pathname.slice(5));
    if (url.pathname === '/upload') return handleUpload(req, res, url);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      throw new HttpError(405, 'method_not_allowed', 'only GET here');
    }
    return serveStatic(rendererDir, url.pathname, res, {
      'Content-Security-Policy': contentSecurityPolicy([...allowedHosts].map((h) => `ws://${h}`)),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
    });
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (error instanceof HttpError) {
        sendJson(res, error.status, { error: { code: error.code, message: error.message } });
      } else {
        sendJson(res, 500, { error: { code: 'failed', message: 'the host failed' } });
      }
      // Stop reading a refused body, but let the answer reach the client first.
      req.resume();
    });
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const refuse = (status: number) => {
      socket.end(`HTTP/1.1 ${status} Refused\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    try {
      checkHostAndOrigin(req);
    } catch {
      return refuse(403);
    }
    if (url.pathname !== '/events') return refuse(404);
    if (!tokensMatch(url.searchParams.get('token') ?? undefined, token)) return refuse(401);
    sockets.handleUpgrade(req, socket, head, (ws) => {
      const unsubscribe = options.api.events.subscribe((envelope) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(envelope));
      });
      ws.on('close', unsubscribe);
      // A protocol error (e.g. a message over maxPayload) closes this socket, never the host.
      ws.on('error', () => ws.terminate());
      // The socket only carries events to the page; anything sent to it is ignored.
      ws.on('message', () => undefined);
    });
  });

  await new Promise<void>((ok) => server.listen(options.port ?? 0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  allowedOrigins = new Set([...allowedHosts].map((h) => `http://${h}`));

  return {
    url: origin,
    openUrl: `${origin}/#token=${token}`,
    token,
    port,
    close: () =>
      new Promise<void>((done) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
