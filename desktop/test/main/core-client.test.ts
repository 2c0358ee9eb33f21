import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({}));
const { createCoreClient } = await import('../../src/main/core-client');

class FakeUtility extends EventEmitter {
  posted: { id: number; name: string }[] = [];
  postMessage(message: { id: number; name: string }) {
    this.posted.push(message);
  }
  kill = vi.fn();
}

describe('main ↔ core utility process', () => {
  it('matches answers to calls by id and forwards events', async () => {
    const child = new FakeUtility();
    const core = createCoreClient(child as never);
    const events: unknown[] = [];
    core.onEvent((e) => events.push(e));
    const a = core.call('kb.list', {});
    const b = core.call('settings.get', {});
    const [first, second] = child.posted;
    child.emit('message', { kind: 'result', id: second?.id, result: { ok: true, value: 'B' } });
    child.emit('message', { kind: 'result', id: first?.id, result: { ok: true, value: 'A' } });
    expect(await a).toEqual({ ok: true, value: 'A' });
    expect(await b).toEqual({ ok: true, value: 'B' });
    child.emit('message', {
      kind: 'event',
      envelope: { event: 'chat.token', payload: { opId: 'x', token: 'y' } },
    });
    expect(events).toEqual([{ event: 'chat.token', payload: { opId: 'x', token: 'y' } }]);
  });

  it('fails pending calls with a clear error when the core exits', async () => {
    const child = new FakeUtility();
    const core = createCoreClient(child as never);
    const pending = core.call('kb.list', {});
    child.emit('exit', 1);
    expect(await pending).toMatchObject({ ok: false, error: { code: 'failed' } });
    core.stop();
    expect(child.kill).toHaveBeenCalled();
  });
});
