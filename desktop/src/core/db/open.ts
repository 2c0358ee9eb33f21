import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { migrate } from './migrate';

export type Db = Database.Database;

const MMAP_BYTES = 1024 ** 3;

/** Opens (creating if needed) a workspace database with sqlite-vec loaded and all migrations applied. */
export function openDatabase(file: string): Db {
  const db = new Database(file);
  try {
    sqliteVec.load(db);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // FULL: a transaction acknowledged to the user survives power loss (the sync outbox relies on it).
    db.pragma('synchronous = FULL');
    // Vector rescoring reads a few hundred 3 KB rows at random per query; through read() calls that
    // cost ~40 µs each, memory-mapped ~10 µs (bench/search.ts, docs/retrieval.md). Address space only.
    db.pragma(`mmap_size = ${MMAP_BYTES}`);
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
