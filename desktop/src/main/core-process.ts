// The core (SQLite, parsers' supervisor, Ollama calls) runs here, in an Electron utility process,
// so a slow parse or query never blocks the window. Parsers run in their own child processes below it.
import { createDesktopApi } from '../core/api/create-api';
import { dispatch } from '../core/api/dispatch';
import { openWorkspace, resolveHome } from '../core/workspace';
import type { CoreMessage, CoreRequest } from './core-protocol';

const port = process.parentPort;
const post = (message: CoreMessage) => port.postMessage(message);

try {
  const ws = openWorkspace(resolveHome(undefined, process.env));
  const api = createDesktopApi({
    ws,
    env: process.env,
    version: process.env.CREATOR_HUB_VERSION,
    backgroundEmbeddingMs: 30_000,
  });
  api.events.subscribe((envelope) => post({ kind: 'event', envelope }));
  port.on('message', (message: { data: CoreRequest }) => {
    const request = message.data;
    if (request?.kind !== 'call') return;
    void dispatch(api.handlers, request.name, request.payload).then((result) =>
      post({ kind: 'result', id: request.id, result }),
    );
  });
  post({ kind: 'ready' });
} catch (error) {
  post({ kind: 'fatal', message: error instanceof Error ? error.message : String(error) });
}
