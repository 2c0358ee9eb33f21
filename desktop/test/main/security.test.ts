import { describe, expect, it, vi } from 'vitest';
import { fakeSession } from './electron-mock';

vi.mock('electron', () => ({}));
const { createExternalOpener, denyAllPermissions } = await import('../../src/main/security');

describe('shell.openExternal and permissions', () => {
  it('opens only https links, and only after the user confirmed', async () => {
    const confirm = vi.fn(async (_url: string) => true);
    const open = vi.fn(async (_url: string) => undefined);
    const opener = createExternalOpener({ confirm, open });
    for (const url of [
      'http://example.com',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      'mailto:a@b.c',
      'x',
    ]) {
      expect(await opener(url)).toBe(false);
    }
    expect(confirm).not.toHaveBeenCalled();
    expect(open).not.toHaveBeenCalled();
    confirm.mockResolvedValueOnce(false);
    expect(await opener('https://example.com/declined')).toBe(false);
    expect(open).not.toHaveBeenCalled();
    expect(await opener('https://example.com/ok')).toBe(true);
    expect(confirm).toHaveBeenLastCalledWith('https://example.com/ok');
    expect(open).toHaveBeenCalledExactlyOnceWith('https://example.com/ok');
  });

  it('denies every permission request and check', () => {
    const session = fakeSession();
    denyAllPermissions(session as never);
    const request = session.setPermissionRequestHandler.mock.calls[0]?.[0] as (
      contents: unknown,
      permission: string,
      callback: (granted: boolean) => void,
    ) => void;
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'openExternal',
      'fullscreen',
    ]) {
      const callback = vi.fn();
      request({}, permission, callback);
      expect(callback).toHaveBeenCalledExactlyOnceWith(false);
    }
    const check = session.setPermissionCheckHandler.mock.calls[0]?.[0] as () => boolean;
    expect(check()).toBe(false);
    const device = session.setDevicePermissionHandler.mock.calls[0]?.[0] as () => boolean;
    expect(device()).toBe(false);
  });
});
