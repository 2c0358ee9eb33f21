import type { Change } from '@creator-hub/shared/sync/index';
import { describe, expect, it } from 'vitest';
import { applyPage } from '../../src/core/sync/apply';
import { listConflicts } from '../../src/core/sync/conflicts';
import { openWorkspace } from '../../src/core/workspace';
import { tempDir } from '../helpers/tmp';

const VERSION = '0192f1c0-0000-7000-8000-000000000001';

/** A conflict record as a server sends it, for the persona pointer. */
function record(
  id: string,
  loser: Record<string, unknown>,
  winner: Record<string, unknown>,
): Change {
  return {
    seq: 1,
    table: 'sync_conflicts',
    op: 'upsert',
    key: id,
    hlc: '001800000000000-000001',
    device: 'device-b',
    data: {
      id,
      table: 'persona_active',
      key: 'active',
      loser,
      loserHlc: '001800000000000-000000',
      loserDevice: 'device-a',
      winner,
      winnerHlc: '001800000000000-000001',
      winnerDevice: 'device-b',
      createdAt: '2026-11-26T10:00:00.000Z',
    },
  };
}

describe('conflict records from the server', () => {
  it('keeps none whose losing version says what the winner says (recorded by older servers)', () => {
    const ws = openWorkspace(tempDir());
    try {
      const same = record(
        'same',
        { id: 'active', version_id: VERSION },
        { version_id: VERSION, id: 'active' },
      );
      const other = record(
        'other',
        { id: 'active', version_id: '0192f1c0-0000-7000-8000-000000000002' },
        { id: 'active', version_id: VERSION },
      );
      applyPage(ws.db, 'content', [same, { ...other, seq: 2 }], 'c1');
      expect(listConflicts(ws.db).map((c) => [c.id, c.kind])).toEqual([
        ['other', 'concurrent_edit'],
      ]);
    } finally {
      ws.close();
    }
  });
});
