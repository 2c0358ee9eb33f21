import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { rendererViteConfig } from './desktop/src/host/renderer-build';

// main and preload are bundled; the core runs from source in a utility process (see src/main/index.ts).
const desktop = resolve(import.meta.dirname, 'desktop');

export default defineConfig({
  main: {
    build: {
      outDir: resolve(desktop, 'out/main'),
      rollupOptions: { input: { index: resolve(desktop, 'src/main/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: resolve(desktop, 'out/preload'),
      // A sandboxed preload cannot load modules: bundle everything, as CommonJS.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(desktop, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: (() => {
    const {
      configFile: _file,
      logLevel: _log,
      root: _root,
      ...shared
    } = rendererViteConfig(resolve(desktop, 'out/renderer'));
    // electron-vite resolves the renderer root itself (./src/renderer from desktop/, see start.mjs).
    return {
      ...shared,
      build: {
        ...shared.build,
        rolldownOptions: { input: resolve(desktop, 'src/renderer/index.html') },
      },
    };
  })(),
});
