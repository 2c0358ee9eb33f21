// Apart from server.ts, which the benches import too: this one needs the vitest runner.
import { afterAll, beforeAll } from 'vitest';
import { type ServerOptions, startServer, type TestServer } from './server';
import { createTestDatabase, type TestDatabase } from './test-db';

/**
 * A fresh test database and the real app on it for one test file: created before the file's tests
 * (and before its own hooks, if it is called first), closed and dropped after them. The returned
 * objects forward to them, so use them only inside tests and hooks.
 */
export function serverForFile(options: ServerOptions = {}): { t: TestDatabase; s: TestServer } {
  let database: TestDatabase | undefined;
  let server: TestServer | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startServer(database.appUrl, options);
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });
  const db = (): TestDatabase => {
    if (!database) throw new Error('the test database has not been created yet');
    return database;
  };
  const app = (): TestServer => {
    if (!server) throw new Error('the test server has not started yet');
    return server;
  };
  const t: TestDatabase = {
    get name() {
      return db().name;
    },
    get adminUrl() {
      return db().adminUrl;
    },
    get ownerUrl() {
      return db().ownerUrl;
    },
    get appUrl() {
      return db().appUrl;
    },
    drop: () => db().drop(),
  };
  const s: TestServer = {
    get url() {
      return app().url;
    },
    get app() {
      return app().app;
    },
    get db() {
      return app().db;
    },
    get pool() {
      return app().pool;
    },
    get clock() {
      return app().clock;
    },
    get config() {
      return app().config;
    },
    get logs() {
      return app().logs;
    },
    api: (method, path, options) => app().api(method, path, options),
    close: () => app().close(),
  };
  return { t, s };
}
