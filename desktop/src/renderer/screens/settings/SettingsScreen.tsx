import type { Settings, Theme } from '@creator-hub/shared/api/index';
import { useEffect, useState } from 'react';
import { errorText, newOpId, useClient, useEvent, useLoad } from '../../api/context';
import { Badge, ErrorNote, PageHeader, ProgressBar } from '../../components/ui';

export function SettingsScreen({
  home,
  onTheme,
  onSaved,
}: {
  home: string;
  onTheme: (t: Theme) => void;
  onSaved: () => void;
}) {
  const client = useClient();
  const settings = useLoad('settings.get', {});
  const models = useLoad('models.list', {});
  const [draft, setDraft] = useState<Settings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [pullName, setPullName] = useState('nomic-embed-text');
  const [pull, setPull] = useState<{ opId: string; status: string; fraction: number } | null>(null);

  useEffect(() => {
    if (settings.data) setDraft(settings.data);
  }, [settings.data]);
  useEvent('models.pull', (p) => {
    if (p.opId !== pull?.opId) return;
    const fraction = p.total ? (p.completed ?? 0) / p.total : p.status === 'success' ? 1 : 0;
    setPull({ opId: p.opId, status: p.status, fraction });
  });

  const save = async (patch: Partial<Settings>) => {
    setError(null);
    try {
      const next = await client.send('settings.update', patch);
      setDraft(next);
      onTheme(next.theme);
      setSaved(true);
      onSaved();
      models.reload();
    } catch (e) {
      setError(errorText(e));
    }
  };
  const startPull = async () => {
    const opId = newOpId();
    setPull({ opId, status: 'starting', fraction: 0 });
    try {
      await client.send('models.pull', { opId, name: pullName });
      setPull({ opId, status: 'success', fraction: 1 });
      models.reload();
    } catch (e) {
      setPull(null);
      setError(errorText(e));
    }
  };

  if (!draft) return <PageHeader title="Settings" />;
  const chat = models.data?.models.filter((m) => m.kind === 'chat') ?? [];
  const embed = models.data?.models.filter((m) => m.kind === 'embedding') ?? [];
  const set = (patch: Partial<Settings>) => {
    setSaved(false);
    setDraft({ ...draft, ...patch });
  };

  return (
    <div className="settings">
      <PageHeader
        title="Settings"
        subtitle="Where the local AI runs, which models it uses, and how the app looks."
      />
      <section className="card form" aria-label="Local AI">
        <h2 className="card-title">Local AI (Ollama)</h2>
        <label>
          Ollama address
          <input value={draft.ollamaHost} onChange={(e) => set({ ollamaHost: e.target.value })} />
        </label>
        <p className="muted" data-testid="ollama-status">
          {models.data?.reachable ? (
            <Badge tone="ok">Connected · {models.data.models.length} models</Badge>
          ) : (
            <Badge tone="warn">{models.data?.error ?? 'Checking…'}</Badge>
          )}
        </p>
        <div className="grid-2">
          <label htmlFor="chat-model">
            Chat model
            <ModelSelect
              id="chat-model"
              value={draft.chatModel}
              names={chat.map((m) => m.name)}
              onChange={(v) => set({ chatModel: v })}
            />
          </label>
          <label htmlFor="embed-model">
            Embedding model
            <ModelSelect
              id="embed-model"
              value={draft.embedModel}
              names={embed.map((m) => m.name)}
              onChange={(v) => set({ embedModel: v })}
            />
          </label>
        </div>
        <div className="row">
          <button type="button" className="primary" onClick={() => void save(draft)}>
            Save
          </button>
          {saved && <span className="muted">Saved.</span>}
        </div>
        <ErrorNote error={error} />
      </section>
      <section className="card form" aria-label="Download a model">
        <h2 className="card-title">Download a model</h2>
        <div className="row">
          <label className="grow">
            Model name
            <input value={pullName} onChange={(e) => setPullName(e.target.value)} />
          </label>
          <button
            type="button"
            onClick={() => void startPull()}
            disabled={!models.data?.reachable || !pullName.trim()}
          >
            Download
          </button>
        </div>
        {pull && (
          <div className="pull">
            <ProgressBar value={pull.fraction} label="Download progress" />
            <span className="muted">{pull.status}</span>
          </div>
        )}
      </section>
      <section className="card form" aria-label="Appearance and workspace">
        <h2 className="card-title">Appearance</h2>
        <fieldset className="segmented">
          <legend className="sr-only">Theme</legend>
          {(['system', 'light', 'dark'] as const).map((t) => (
            <label key={t} className={draft.theme === t ? 'on' : ''}>
              <input
                type="radio"
                name="theme"
                value={t}
                checked={draft.theme === t}
                onChange={() => void save({ theme: t })}
              />
              {t[0]?.toUpperCase()}
              {t.slice(1)}
            </label>
          ))}
        </fieldset>
        <h2 className="card-title">Workspace folder</h2>
        <p>
          <code>{home}</code>
        </p>
        <p className="muted">Set CREATOR_HUB_HOME before starting the app to use another folder.</p>
      </section>
    </div>
  );
}

function ModelSelect({
  id,
  value,
  names,
  onChange,
}: {
  id: string;
  value: string;
  names: string[];
  onChange: (v: string) => void;
}) {
  const installed = (n: string) => names.includes(n) || names.includes(`${n}:latest`);
  const options = installed(value) || !value ? names : [value, ...names];
  return (
    <select
      id={id}
      value={
        names.includes(value)
          ? value
          : names.includes(`${value}:latest`)
            ? `${value}:latest`
            : value
      }
      onChange={(e) => onChange(e.target.value)}
    >
      {options.map((n) => (
        <option key={n} value={n}>
          {n}
          {installed(n) ? '' : ' (not installed)'}
        </option>
      ))}
    </select>
  );
}
