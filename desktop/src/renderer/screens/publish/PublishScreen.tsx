import type { Conflict } from '@creator-hub/shared/api/index';
import { useState } from 'react';
import { errorText, newOpId, useClient, useEvent, useLoad } from '../../api/context';
import { Badge, Empty, ErrorNote, PageHeader, ProgressBar } from '../../components/ui';
import { LoginForm } from './LoginForm';

export function PublishScreen() {
  const client = useClient();
  const status = useLoad('publish.status', {});
  const loggedIn = status.data?.loggedIn === true;
  const releases = useLoad('publish.releases', loggedIn ? {} : null);
  const conflicts = useLoad('publish.conflicts', loggedIn ? {} : null);
  const [note, setNote] = useState('');
  const [progress, setProgress] = useState<{
    opId: string;
    phase: string;
    done: number;
    total: number;
  } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEvent('sync.progress', (p) => {
    if (p.opId === progress?.opId) setProgress(p);
  });
  const refresh = () => {
    status.reload();
    releases.reload();
    conflicts.reload();
  };
  const run = async (work: () => Promise<string>) => {
    setError(null);
    setMessage(null);
    try {
      setMessage(await work());
    } catch (e) {
      setError(errorText(e));
    } finally {
      setProgress(null);
      refresh();
    }
  };
  const publish = () =>
    run(async () => {
      const opId = newOpId();
      setProgress({ opId, phase: 'checking', done: 0, total: 0 });
      const release = await client.send('publish.publish', { opId, ...(note ? { note } : {}) });
      setNote('');
      return `Published release v${release.version}.`;
    });

  const s = status.data;
  return (
    <div className="publish">
      <PageHeader
        title="Publish"
        subtitle="Send your knowledge, persona, programs and test results to your server, where learners reach them."
        actions={
          loggedIn && (
            <button
              type="button"
              onClick={() =>
                void run(async () => {
                  await client.send('publish.logout', {});
                  return 'Logged out.';
                })
              }
            >
              Log out
            </button>
          )
        }
      />
      <ErrorNote error={error ?? status.error} />
      {message && (
        <p className="note note-ok" role="status">
          {message}
        </p>
      )}
      {s && !loggedIn && <LoginForm onLoggedIn={refresh} />}
      {s && loggedIn && (
        <div className="publish-grid">
          <section className="card" aria-label="Sync status">
            <h2 className="card-title">Server</h2>
            <dl className="facts">
              <dt>Server</dt>
              <dd>{s.serverUrl}</dd>
              <dt>Account</dt>
              <dd>{s.account}</dd>
              <dt>Changes to send</dt>
              <dd data-testid="pending">{s.pending}</dd>
              <dt>Last sync</dt>
              <dd>{s.lastSyncAt ? new Date(s.lastSyncAt).toLocaleString() : 'never'}</dd>
              <dt>Conflicts</dt>
              <dd>
                {s.conflicts === 0 ? (
                  <Badge tone="ok">none</Badge>
                ) : (
                  <Badge tone="warn">{s.conflicts}</Badge>
                )}
              </dd>
            </dl>
            <form
              className="row"
              onSubmit={(e) => {
                e.preventDefault();
                void publish();
              }}
            >
              <label className="sr-only" htmlFor="release-note">
                Release note
              </label>
              <input
                id="release-note"
                className="grow"
                placeholder="What changed (optional)"
                value={note}
                maxLength={500}
                onChange={(e) => setNote(e.target.value)}
              />
              <button type="submit" className="primary" disabled={!!progress}>
                Publish
              </button>
              <button
                type="button"
                disabled={!!progress}
                onClick={() =>
                  void run(async () => {
                    await client.send('publish.sync', { opId: newOpId() });
                    return 'Synced.';
                  })
                }
              >
                Sync now
              </button>
            </form>
            {progress && (
              <div className="pull" data-testid="publish-progress">
                <ProgressBar
                  value={progress.total ? progress.done / progress.total : 0}
                  label="Publish progress"
                />
                <span className="muted">
                  {progress.phase} {progress.total ? `${progress.done}/${progress.total}` : ''}
                </span>
              </div>
            )}
          </section>
          <section className="card" aria-label="Releases">
            <h2 className="card-title">Releases</h2>
            {releases.data?.length === 0 && <p className="muted">Nothing published yet.</p>}
            <ol className="releases">
              {releases.data?.map((r) => (
                <li key={r.id}>
                  <div>
                    <strong>v{r.version}</strong> {r.active && <Badge tone="ok">live</Badge>}{' '}
                    {r.kind === 'rollback' && <Badge tone="info">rollback to v{r.restores}</Badge>}
                    <div className="muted">
                      {new Date(r.createdAt).toLocaleString()}
                      {r.note && ` · ${r.note}`}
                    </div>
                  </div>
                  {!r.active && (
                    <button
                      type="button"
                      onClick={() =>
                        void run(async () => {
                          await client.send('publish.rollback', { version: r.version });
                          return `Now serving a copy of v${r.version}.`;
                        })
                      }
                    >
                      Roll back to v{r.version}
                    </button>
                  )}
                </li>
              ))}
            </ol>
          </section>
          <section className="card conflicts-card" aria-label="Conflicts">
            <h2 className="card-title">Conflicts</h2>
            {conflicts.data?.length === 0 ? (
              <Empty title="No conflicts">
                <p>
                  When two devices edit the same thing, both versions land here for you to choose.
                </p>
              </Empty>
            ) : (
              conflicts.data?.map((c) => (
                <ConflictView
                  key={c.id}
                  conflict={c}
                  onKeep={(keep) =>
                    void run(async () => {
                      await client.send('publish.resolveConflict', { conflictId: c.id, keep });
                      return 'Conflict resolved; it is sent with the next sync.';
                    })
                  }
                />
              ))
            )}
          </section>
        </div>
      )}
    </div>
  );
}

function ConflictView({
  conflict,
  onKeep,
}: {
  conflict: Conflict;
  onKeep: (keep: 'winner' | 'loser') => void;
}) {
  const fields = [
    ...new Set([...Object.keys(conflict.winner ?? {}), ...Object.keys(conflict.loser ?? {})]),
  ];
  const show = (row: Conflict['winner'], key: string) =>
    row ? String(row[key] ?? '') : '(deleted)';
  return (
    <div className="conflict">
      <p>
        <strong>{conflict.table}</strong> <span className="muted">{conflict.reason}</span>
      </p>
      <table className="side-by-side">
        <thead>
          <tr>
            <th>Field</th>
            <th>In place</th>
            <th>Other version</th>
          </tr>
        </thead>
        <tbody>
          {fields.map((f) => (
            <tr
              key={f}
              className={show(conflict.winner, f) !== show(conflict.loser, f) ? 'differs' : ''}
            >
              <td>{f}</td>
              <td>{show(conflict.winner, f)}</td>
              <td>{show(conflict.loser, f)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="row">
        <button type="button" onClick={() => onKeep('winner')}>
          Keep the version in place
        </button>
        <button type="button" onClick={() => onKeep('loser')}>
          Use the other version
        </button>
      </div>
    </div>
  );
}
