import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { migrate } from './migrate';

export type Db = Database.Database;

const MMAP_BYTES = 1024 ** 3;

export interface OpenOptions {
  /**
   * Memory-map the file for reads (default true). Search rescoring reads ~300 rows of 3 KB at random
   * per query: through read() calls each costs ~40 µs, memory-mapped ~10 µs (docs/retrieval.md).
   * Mapped pages count in the process's RSS, so the parser child, which only writes, leaves it off.
   */
  mmap?: boolean;
}

/** Opens (creating if needed) a workspace database with sqlite-vec loaded and all migrations applied. */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const db = new Database(file);
  try {
    sqliteVec.load(db);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // FULL: a transaction acknowledged to the user survives power loss (the sync outbox relies on it).
    db.pragma('synchronous = FULL');
    if (options.mmap ?? true) db.pragma(`mmap_size = ${MMAP_BYTES}`);
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
