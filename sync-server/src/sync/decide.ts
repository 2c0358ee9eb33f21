import {
  CONFLICTS_TABLE,
  canonicalJson,
  type Mutation,
  mergeLww,
  type PushResult,
  type SyncTable,
  sha256Hex,
} from '@creator-hub/shared/sync/index';
import { type ChangeWrite, type EmbeddingWrite, type RowState, rowId } from './rows';
import type { Rejection } from './validate';

export interface Decisions {
  changes: ChangeWrite[];
  embeddings: EmbeddingWrite[];
  results: PushResult[];
  /** The fingerprint set by this batch when the tenant had none. */
  newModel?: string;
}

export type Checked = { m: Mutation; verdict: SyncTable | 'conflict' | Rejection };

const versionOf = (r: RowState) => ({ hlc: r.hlc, device: r.device });

/**
 * Turns a batch of fresh, checked mutations into the changes to log, applying last-writer-wins per
 * row in batch order. `rows` is the state before the batch and is updated as decisions are made.
 */
export function decide(
  batch: Checked[],
  rows: Map<string, RowState>,
  device: string,
  now: Date,
): Decisions {
  const out: Decisions = { changes: [], embeddings: [], results: [] };
  for (const { m, verdict } of batch) {
    if (verdict !== 'conflict' && 'code' in verdict) {
      out.results.push({
        mid: m.mid,
        status: 'rejected',
        code: verdict.code,
        message: verdict.message,
      });
      continue;
    }
    out.results.push({ mid: m.mid, status: 'applied' });
    if (verdict === 'conflict') resolveConflict(m, rows, device, out);
    else if (verdict.mode === 'insert_only') insertOnly(verdict, m, rows, device, out);
    else editable(verdict, m, rows, device, now, out);
  }
  return out;
}

function record(
  out: Decisions,
  rows: Map<string, RowState>,
  c: ChangeWrite,
  fingerprint: string | null,
) {
  out.changes.push(c);
  rows.set(rowId(c.table, c.key), { ...c, deleted: c.op === 'delete', fingerprint });
}

function resolveConflict(m: Mutation, rows: Map<string, RowState>, device: string, out: Decisions) {
  const current = rows.get(rowId(CONFLICTS_TABLE, m.key));
  if (!current || current.deleted) return;
  record(out, rows, { ...common(m, device, 'content'), op: 'delete', data: null }, null);
}

const common = (m: Mutation, device: string, stream: 'content' | 'activity') => ({
  stream,
  table: m.table,
  key: m.key,
  hlc: m.hlc,
  device,
});

function insertOnly(
  table: SyncTable,
  m: Mutation,
  rows: Map<string, RowState>,
  device: string,
  out: Decisions,
) {
  const current = rows.get(rowId(m.table, m.key));
  const present = current !== undefined && !current.deleted;
  const emb = m.embedding;
  const newEmbedding = emb !== undefined && current?.fingerprint !== emb.fingerprint;
  if (m.op === 'delete') {
    if (present)
      record(out, rows, { ...common(m, device, table.stream), op: 'delete', data: null }, null);
    return;
  }
  // Already there with the same content (the key is its hash): log only what is new.
  if (present && !newEmbedding) return;
  if (emb) {
    out.embeddings.push({
      key: m.key,
      fingerprint: emb.fingerprint,
      dims: emb.dims,
      vector: emb.vector,
    });
    out.newModel ??= emb.fingerprint;
  }
  record(
    out,
    rows,
    { ...common(m, device, table.stream), op: 'upsert', data: m.data },
    emb?.fingerprint ?? current?.fingerprint ?? null,
  );
}

function editable(
  table: SyncTable,
  m: Mutation,
  rows: Map<string, RowState>,
  device: string,
  now: Date,
  out: Decisions,
) {
  const current = rows.get(rowId(m.table, m.key));
  const incoming = {
    ...common(m, device, table.stream),
    op: m.op,
    data: m.op === 'delete' ? null : m.data,
  };
  const outcome = mergeLww(current ? versionOf(current) : undefined, {
    hlc: m.hlc,
    device,
    base: m.base,
  });
  if (outcome.kind === 'same') return;
  if (outcome.kind === 'apply') {
    record(out, rows, incoming, null);
    if (outcome.loser && current) conflict(out, rows, current, incoming, now);
    return;
  }
  // The incoming edit lost: keep it as a conflict, and restate the winner so the pushing device,
  // which may have shown its own edit meanwhile, converges on it when it pulls.
  if (!current) return;
  conflict(out, rows, { ...incoming, fingerprint: null, deleted: m.op === 'delete' }, current, now);
  record(
    out,
    rows,
    {
      ...current,
      op: current.deleted ? 'delete' : 'upsert',
      data: current.deleted ? null : current.data,
    },
    current.fingerprint,
  );
}

const dataOf = (v: RowState | ChangeWrite) =>
  ('deleted' in v ? v.deleted : v.op === 'delete') ? null : v.data;

/** Keeps the losing version of a row as a conflict record, unless it says what the winner says. */
function conflict(
  out: Decisions,
  rows: Map<string, RowState>,
  loser: RowState | ChangeWrite,
  winner: RowState | ChangeWrite,
  now: Date,
) {
  const loserData = dataOf(loser);
  const winnerData = dataOf(winner);
  // Two versions that say the same (two upgraded desktops each making the same pointer, say) are
  // not a conflict: nothing is lost whichever wins.
  if (canonicalJson(loserData) === canonicalJson(winnerData)) return;
  const key = sha256Hex(
    `${loser.table}\u0000${loser.key}\u0000${loser.hlc}\u0000${loser.device}`,
  ).slice(0, 32);
  const data = {
    id: key,
    table: loser.table,
    key: loser.key,
    loser: loserData,
    loserHlc: loser.hlc,
    loserDevice: loser.device,
    winner: winnerData,
    winnerHlc: winner.hlc,
    winnerDevice: winner.device,
    createdAt: now.toISOString(),
  };
  record(
    out,
    rows,
    {
      stream: 'content',
      table: CONFLICTS_TABLE,
      key,
      op: 'upsert',
      hlc: winner.hlc,
      device: winner.device,
      data,
    },
    null,
  );
}
