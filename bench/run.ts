import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Runs every bench/*.ts except this one, in sequence, or only those named on the command line
 * (`npm run bench -- search embed`). Each prints its own JSON lines.
 */
const dir = import.meta.dirname;
const all = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== basename(import.meta.filename))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();
const named = process.argv.slice(2).map((n) => n.replace(/\.ts$/, ''));
const unknown = named.filter((n) => !all.includes(n));
if (unknown.length > 0) {
  process.stderr.write(`unknown benchmark(s): ${unknown.join(', ')}; have: ${all.join(', ')}\n`);
  process.exit(2);
}
let failed = 0;
for (const name of named.length > 0 ? named : all) {
  const mod = (await import(pathToFileURL(join(dir, `${name}.ts`)).href)) as {
    run?: () => Promise<void>;
  };
  if (typeof mod.run !== 'function') {
    process.stderr.write(`bench/${name}.ts exports no run()\n`);
    failed += 1;
    continue;
  }
  try {
    await mod.run();
  } catch (error) {
    failed += 1;
    process.stdout.write(`${JSON.stringify({ bench: name, error: String(error) })}\n`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
