import { lstat, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { isSupportedPath } from './detect';

/**
 * Expands the paths a user named into files: a file as given, a folder recursively (supported
 * extensions only, hidden entries and symbolic links to folders skipped), in a stable order.
 * A path that does not exist is returned as is: ingesting it reports the problem.
 */
export async function expandPaths(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const absolute = resolve(path);
    const info = await lstat(absolute).catch(() => null);
    if (info?.isDirectory()) files.push(...(await walkFolder(absolute)));
    else files.push(absolute);
  }
  return [...new Set(files)];
}

async function walkFolder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...(await walkFolder(path)));
    else if ((entry.isFile() || entry.isSymbolicLink()) && isSupportedPath(path)) files.push(path);
  }
  return files;
}
