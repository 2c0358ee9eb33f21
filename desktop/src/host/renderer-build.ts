import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import type { InlineConfig } from 'vite';

const DESKTOP = resolve(import.meta.dirname, '../..');
export const RENDERER_ROOT = join(DESKTOP, 'src/renderer');
export const RENDERER_OUT = join(DESKTOP, 'out/renderer');
const HASH_FILE = '.source-hash';
/** What the renderer bundle is made of: its sources, the API contract and the build setup. */
const SOURCES = [
  RENDERER_ROOT,
  join(DESKTOP, '../shared/src'),
  join(DESKTOP, 'src/host/renderer-build.ts'),
];

/** The renderer's vite settings, shared by electron.vite.config.ts and the host's build. */
export function rendererViteConfig(outDir = RENDERER_OUT): InlineConfig {
  return {
    root: RENDERER_ROOT,
    base: './',
    configFile: false,
    logLevel: 'warn',
    plugins: [react()],
    build: {
      outDir,
      emptyOutDir: true,
      target: 'chrome120',
      sourcemap: false,
      reportCompressedSize: false,
      chunkSizeWarningLimit: 2000,
    },
  };
}

function hashTree(path: string, hash: ReturnType<typeof createHash>): void {
  const info = statSync(path, { throwIfNoEntry: false });
  if (!info) return;
  if (info.isDirectory()) {
    for (const name of readdirSync(path).sort()) {
      if (name !== 'node_modules' && !name.startsWith('.')) hashTree(join(path, name), hash);
    }
  } else {
    hash.update(path).update(readFileSync(path));
  }
}

export function rendererSourceHash(): string {
  const hash = createHash('sha256');
  for (const source of SOURCES) hashTree(source, hash);
  return hash.digest('hex');
}

export function isRendererCurrent(outDir = RENDERER_OUT): boolean {
  const file = join(outDir, HASH_FILE);
  return existsSync(file) && readFileSync(file, 'utf8') === rendererSourceHash();
}

const LOCK_STALE_MS = 180_000;

async function withBuildLock<T>(outDir: string, run: () => Promise<T>): Promise<T> {
  const lock = `${outDir}.lock`;
  mkdirSync(dirname(lock), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? 0);
      if (age > LOCK_STALE_MS) rmSync(lock, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await run();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Builds the renderer unless the output already matches the sources (content hash). One builder at
 * a time (a lock folder), into a staging folder renamed into place, so no caller sees half a bundle.
 */
export async function ensureRendererBuilt(outDir = RENDERER_OUT): Promise<{ built: boolean }> {
  if (isRendererCurrent(outDir)) return { built: false };
  return withBuildLock(outDir, async () => {
    const hash = rendererSourceHash();
    if (isRendererCurrent(outDir)) return { built: false };
    const { build } = await import('vite');
    const staging = `${outDir}.staging`;
    rmSync(staging, { recursive: true, force: true });
    await build(rendererViteConfig(staging));
    writeFileSync(join(staging, HASH_FILE), hash);
    rmSync(outDir, { recursive: true, force: true });
    renameSync(staging, outDir);
    return { built: true };
  });
}
