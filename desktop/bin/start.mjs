#!/usr/bin/env node
// `npm start`: the Electron app where its binary is installed, otherwise browser mode (with the reason).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const desktop = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function electronBinary() {
  if (process.env.CREATOR_HUB_BROWSER_MODE === '1') {
    return { reason: 'CREATOR_HUB_BROWSER_MODE=1 asks for it.' };
  }
  try {
    const path = require('electron');
    if (typeof path === 'string' && existsSync(path)) return { path };
    return {
      reason:
        'the Electron binary is not installed (installed with ELECTRON_SKIP_BINARY_DOWNLOAD).',
    };
  } catch (error) {
    return {
      reason: `the Electron binary is not installed here (${String(error?.message ?? error).split('\n')[0]}).`,
    };
  }
}

function run(command, args, env = process.env) {
  const child = spawn(command, args, { cwd: desktop, stdio: 'inherit', env });
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
  for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => child.kill(s));
}

const electron = electronBinary();
if (electron.path) {
  const build = spawnSync(
    process.execPath,
    [require.resolve('electron-vite/bin/electron-vite.js'), 'build'],
    {
      cwd: join(desktop, '..'),
      stdio: 'inherit',
    },
  );
  if (build.status !== 0) process.exit(build.status ?? 1);
  run(electron.path, [join(desktop, 'out/main/index.js')]);
} else {
  const env = { ...process.env, CREATOR_HUB_BROWSER_REASON: electron.reason };
  run(process.execPath, ['--import', 'tsx', join(desktop, 'src/host/main.ts')], env);
}
