// Run by private-postgres.test.ts as a process of its own: starts a private cluster, prints its
// folder and postmaster pid as one JSON line, then idles until it is signalled.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startPrivatePostgres } from './private-postgres';

const cluster = await startPrivatePostgres();
const pidFile = readFileSync(join(cluster.dir, 'data', 'postmaster.pid'), 'utf8');
const postmaster = Number(pidFile.split('\n')[0]);
process.stdout.write(`${JSON.stringify({ dir: cluster.dir, postmaster })}\n`);
setInterval(() => {}, 60_000);
