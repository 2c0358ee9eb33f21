import {
  CONFLICTS_TABLE,
  contentKey,
  decodeVector,
  hlcMs,
  lwwKey,
  type Mutation,
  rowProblem,
  SYNC_LIMITS,
  type SyncErrorCode,
  type SyncTable,
  syncTable,
} from '@creator-hub/shared/sync/index';
import { modelMismatchMessage } from './errors';

export interface Rejection {
  code: SyncErrorCode;
  message: string;
}

export interface CheckContext {
  now: Date;
  /** The tenant's embedding model so far (undefined until the first embedding arrives). */
  activeModel: string | undefined;
}

const reject = (code: SyncErrorCode, message: string): Rejection => ({ code, message });

/**
 * Whether a fresh mutation may be applied. A refused mutation is answered `rejected` with its
 * code and still consumes its id, so one bad mutation never blocks the device's queue.
 */
export function checkMutation(m: Mutation, ctx: CheckContext): SyncTable | 'conflict' | Rejection {
  if (hlcMs(m.hlc) > ctx.now.getTime() + SYNC_LIMITS.maxClockAheadMs) {
    return reject(
      'clock_ahead',
      'The device clock is far ahead of the server; fix the clock and edit again.',
    );
  }
  if (m.table === CONFLICTS_TABLE) {
    // Devices may only resolve (delete) conflict records; the server writes them.
    return m.op === 'delete' && m.data === null && m.embedding === undefined
      ? 'conflict'
      : reject('table_not_writable', 'Conflict records can only be resolved, not written.');
  }
  const table = syncTable(m.table);
  if (!table) return reject('unknown_table', `"${m.table}" is not a synced table.`);
  if (table.writer !== 'desktop') {
    return reject('table_not_writable', `"${m.table}" is written by the server, not by devices.`);
  }
  const shape = checkShape(table, m);
  if (shape) return shape;
  if (m.embedding) {
    if (!table.embedded) return reject('bad_row', `"${m.table}" rows carry no embedding.`);
    if (ctx.activeModel && ctx.activeModel !== m.embedding.fingerprint) {
      return reject(
        'model_mismatch',
        modelMismatchMessage(ctx.activeModel, m.embedding.fingerprint),
      );
    }
    try {
      decodeVector(m.embedding.vector, m.embedding.dims);
    } catch (error) {
      return reject('bad_vector', error instanceof Error ? error.message : 'bad vector');
    }
  }
  return table;
}

function checkShape(table: SyncTable, m: Mutation): Rejection | undefined {
  if (m.op === 'upsert' && m.data === null)
    return reject('bad_row', 'An upsert needs the row data.');
  if (m.op === 'delete' && m.embedding) return reject('bad_row', 'A delete carries no embedding.');
  if (m.data && table.local?.some((c) => c in (m.data ?? {}))) {
    return reject('bad_row', 'The row carries device-local columns.');
  }
  const problem = m.op === 'upsert' && m.data ? rowProblem(table.name, m.data) : undefined;
  if (problem) return reject('bad_row', problem);
  if (table.mode === 'insert_only') {
    if (m.base !== null) return reject('bad_row', 'Insert-only rows have no base version.');
    if (m.data && contentKey(m.data) !== m.key) {
      return reject('bad_row', 'The key of an insert-only row must be the hash of its content.');
    }
    return undefined;
  }
  if (m.data && table.key.some((k) => !(k in (m.data ?? {})))) {
    return reject('bad_row', 'The row lacks its key columns.');
  }
  if (m.data && lwwKey(table, m.data) !== m.key) {
    return reject('bad_row', 'The mutation key does not match the row key.');
  }
  return undefined;
}
