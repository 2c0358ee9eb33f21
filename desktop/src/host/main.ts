import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDesktopApi } from '../core/api/create-api';
import { openWorkspace, resolveHome } from '../core/workspace';
import { openBrowser } from './open-browser';
import { ensureRendererBuilt, RENDERER_OUT } from './renderer-build';
import { startHost } from './server';

/** Browser mode: `npm start` runs this when Electron cannot start. Honours CREATOR_HUB_HOME. */
async function main(): Promise<void> {
  const reason = process.env.CREATOR_HUB_BROWSER_REASON;
  const home = resolveHome(undefined, process.env);
  const { built } = await ensureRendererBuilt();
  if (built) console.log('Built the interface.');
  const ws = openWorkspace(home);
  const version = (
    JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
  const api = createDesktopApi({ ws, env: process.env, version, backgroundEmbeddingMs: 30_000 });
  const port = Number(process.env.CREATOR_HUB_PORT ?? '0');
  const host = await startHost({ api, home, rendererDir: RENDERER_OUT, port });
  if (reason) console.log(`Starting in browser mode: ${reason}`);
  console.log(`Workspace: ${home}`);
  console.log(`Creator Hub is running at ${host.openUrl}`);
  console.log('The link carries a one-time key for this launch; keep it private. Ctrl+C stops.');
  if (!openBrowser(host.openUrl)) console.log('Open the link above in your browser.');
  const stop = async () => {
    await host.close();
    api.close();
    ws.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

await main();
