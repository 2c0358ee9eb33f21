import { beforeAll, describe, expect, it } from 'vitest';
import { type Account, signup } from './helpers/server';
import { serverForFile } from './helpers/server-for-file';

const { s } = serverForFile();
let owner: Account;
let editor: Account;
let viewer: Account;

beforeAll(async () => {
  [owner, editor, viewer] = await Promise.all([
    signup(s, 'owner'),
    signup(s, 'editor'),
    signup(s, 'viewer'),
  ]);
  for (const [who, role] of [
    [editor, 'editor'],
    [viewer, 'viewer'],
  ] as const) {
    const res = await s.api('post', `/v1/tenants/${owner.tenantId}/members`, {
      token: owner.accessToken,
      body: { email: who.email, role },
    });
    expect(res.status).toBe(201);
  }
});
const base = () => `/v1/tenants/${owner.tenantId}`;

describe('tenants and memberships', () => {
  it('lists my tenants with my role in each', async () => {
    const res = await s.api('get', '/v1/tenants', { token: editor.accessToken });
    const tenants = (res.json as { tenants: { id: string; role: string }[] }).tenants;
    expect(tenants).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: editor.tenantId, role: 'owner' }),
        expect.objectContaining({ id: owner.tenantId, role: 'editor' }),
      ]),
    );
    expect(tenants).toHaveLength(2);
    const me = await s.api('get', '/v1/me', { token: viewer.accessToken });
    expect((me.json.tenants as unknown[]).length).toBe(2);
  });

  it('creates a further tenant owned by its creator', async () => {
    const res = await s.api('post', '/v1/tenants', {
      token: viewer.accessToken,
      body: { name: 'Second studio' },
    });
    expect(res.status).toBe(201);
    const id = String(res.json.id);
    const one = await s.api('get', `/v1/tenants/${id}`, { token: viewer.accessToken });
    expect(one.json).toEqual({ id, name: 'Second studio', role: 'owner' });
    expect((await s.api('get', `/v1/tenants/${id}`, { token: owner.accessToken })).status).toBe(
      404,
    );
  });

  it('enforces roles: viewers read, editors register devices, owners manage members and names', async () => {
    expect((await s.api('get', `${base()}/members`, { token: viewer.accessToken })).status).toBe(
      200,
    );
    expect(
      (await s.api('post', `${base()}/devices`, { token: viewer.accessToken, body: { name: 'v' } }))
        .status,
    ).toBe(403);
    expect(
      (await s.api('patch', base(), { token: editor.accessToken, body: { name: 'Renamed' } }))
        .status,
    ).toBe(403);
    const addByEditor = await s.api('post', `${base()}/members`, {
      token: editor.accessToken,
      body: { email: viewer.email, role: 'owner' },
    });
    expect(addByEditor.status).toBe(403);
    expect(addByEditor.json).toMatchObject({ error: { code: 'forbidden' } });
    const renamed = await s.api('patch', base(), {
      token: owner.accessToken,
      body: { name: 'Renamed' },
    });
    expect(renamed.json).toMatchObject({ name: 'Renamed' });
    expect((await s.api('get', base(), { token: viewer.accessToken })).json).toMatchObject({
      name: 'Renamed',
      role: 'viewer',
    });
  });

  it('editors revoke only their own devices; owners revoke any', async () => {
    const mine = await s.api('post', `${base()}/devices`, {
      token: editor.accessToken,
      body: { name: 'editor laptop' },
    });
    const ownerDev = await s.api('post', `${base()}/devices`, {
      token: owner.accessToken,
      body: { name: 'owner laptop' },
    });
    const mineId = (mine.json.device as { id: string }).id;
    const ownerId = (ownerDev.json.device as { id: string }).id;
    expect(
      (await s.api('delete', `${base()}/devices/${ownerId}`, { token: editor.accessToken })).status,
    ).toBe(403);
    expect(
      (await s.api('delete', `${base()}/devices/${mineId}`, { token: editor.accessToken })).status,
    ).toBe(204);
    expect(
      (await s.api('delete', `${base()}/devices/${ownerId}`, { token: owner.accessToken })).status,
    ).toBe(204);
  });

  it('adds, re-roles and removes members; protects the last owner; rejects unknown and duplicate accounts', async () => {
    const extra = await signup(s, 'extra');
    const add = (email: string) =>
      s.api('post', `${base()}/members`, {
        token: owner.accessToken,
        body: { email, role: 'viewer' },
      });
    expect((await add(extra.email)).status).toBe(201);
    expect((await add(extra.email)).json).toMatchObject({ error: { code: 'already_member' } });
    expect((await add('nobody-here@example.com')).json).toMatchObject({
      error: { code: 'no_such_account' },
    });
    const demoteSelf = await s.api('patch', `${base()}/members/${owner.userId}`, {
      token: owner.accessToken,
      body: { role: 'editor' },
    });
    expect(demoteSelf.status).toBe(409);
    expect(
      (await s.api('delete', `${base()}/members/${owner.userId}`, { token: owner.accessToken }))
        .status,
    ).toBe(409);
    expect(
      (
        await s.api('patch', `${base()}/members/${extra.userId}`, {
          token: owner.accessToken,
          body: { role: 'editor' },
        })
      ).status,
    ).toBe(204);
    const members = await s.api('get', `${base()}/members`, { token: owner.accessToken });
    expect(
      (members.json as { members: { userId: string; role: string }[] }).members,
    ).toContainEqual(expect.objectContaining({ userId: extra.userId, role: 'editor' }));
    // A removed member loses access at once, and so do the devices they registered.
    const dev = await s.api('post', `${base()}/devices`, {
      token: extra.accessToken,
      body: { name: 'extra laptop' },
    });
    const deviceToken = String(dev.json.deviceToken);
    expect((await s.api('get', '/v1/device', { token: deviceToken })).status).toBe(200);
    expect(
      (await s.api('delete', `${base()}/members/${extra.userId}`, { token: owner.accessToken }))
        .status,
    ).toBe(204);
    expect((await s.api('get', base(), { token: extra.accessToken })).status).toBe(404);
    expect((await s.api('get', '/v1/device', { token: deviceToken })).status).toBe(401);
  });
});
