import { createServer } from 'node:http';
import { systemClock } from './clock';
import { ConfigError, loadConfig } from './config';
import { createDb, createPool } from './db/db';
import { createApp } from './http/app';
import { createLogger } from './logger';
import { attachPokes } from './sync/pokes';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  const db = createDb(createPool(config.databaseUrl, config.poolMax, logger));
  // Refuse to serve a database this build does not match, or a role that RLS would not bind.
  await db.assertServable();
  const { app, auth } = createApp({ db, clock: systemClock, config, logger });
  const server = createServer(app);
  const pokes = attachPokes(server, {
    db,
    tokens: auth.tokens,
    databaseUrl: config.databaseUrl,
    logger,
  });
  server.headersTimeout = 15_000;
  server.requestTimeout = 30_000;
  server.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    logger.info({ host: config.host, port }, 'sync server listening');
  });
  const stop = () => {
    logger.info('shutting down');
    server.close(() => {
      pokes
        .close()
        .then(() => db.close())
        .finally(() => process.exit(0));
    });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  const message =
    error instanceof ConfigError || error instanceof Error ? error.message : String(error);
  console.error(`sync server failed to start: ${message}`);
  process.exit(1);
});
