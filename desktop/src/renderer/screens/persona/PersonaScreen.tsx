import type { Answer, Persona } from '@creator-hub/shared/api/index';
import { useEffect, useState } from 'react';
import { errorText, newOpId, useClient, useEvent, useLoad } from '../../api/context';
import { Markdown } from '../../components/Markdown';
import { Badge, ErrorNote, PageHeader } from '../../components/ui';

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

export function PersonaScreen() {
  const client = useClient();
  const current = useLoad('persona.get', {});
  const history = useLoad('persona.history', {});
  const [draft, setDraft] = useState<Persona | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<number | null>(null);
  const [question, setQuestion] = useState('');
  const [preview, setPreview] = useState<{ opId: string; text: string; answer?: Answer } | null>(
    null,
  );

  useEffect(() => {
    if (current.data) setDraft(current.data.persona);
  }, [current.data]);
  useEvent('chat.token', (p) => {
    if (p.opId !== preview?.opId || preview.answer) return;
    setPreview({ ...preview, text: preview.text + p.token });
  });

  if (!draft) return <PageHeader title="Persona" subtitle={current.error ?? 'Loading…'} />;
  const set = (patch: Partial<Persona>) => {
    setSaved(null);
    setDraft({ ...draft, ...patch });
  };

  const save = async () => {
    setError(null);
    try {
      const v = await client.send('persona.save', { persona: draft, ...(note ? { note } : {}) });
      setSaved(v.version);
      setNote('');
      history.reload();
    } catch (e) {
      setError(errorText(e));
    }
  };
  const rollback = async (id: string) => {
    try {
      const v = await client.send('persona.rollback', { id });
      setDraft(v.persona);
      setSaved(v.version);
      history.reload();
    } catch (e) {
      setError(errorText(e));
    }
  };
  const runPreview = async () => {
    const opId = newOpId();
    setPreview({ opId, text: '' });
    try {
      const answer = await client.send('persona.preview', { opId, persona: draft, question });
      setPreview({ opId, text: answer.answer, answer });
    } catch (e) {
      setPreview(null);
      setError(errorText(e));
    }
  };

  return (
    <div className="persona">
      <PageHeader
        title="Persona"
        subtitle="How your companion speaks. Applied to every answer and every program message."
        actions={
          <>
            <label className="sr-only" htmlFor="persona-note">
              Note for this version
            </label>
            <input
              id="persona-note"
              placeholder="What changed (optional)"
              value={note}
              maxLength={200}
              onChange={(e) => setNote(e.target.value)}
            />
            <button type="button" className="primary" onClick={() => void save()}>
              Save version
            </button>
          </>
        }
      />
      {saved !== null && (
        <p className="note note-ok" role="status">
          Saved as version {saved}.
        </p>
      )}
      <ErrorNote error={error} />
      <div className="persona-grid">
        <section className="card form" aria-label="Persona editor">
          <div className="grid-2">
            <label>
              Name
              <input
                value={draft.name}
                maxLength={80}
                onChange={(e) => set({ name: e.target.value })}
              />
            </label>
            <label>
              Language
              <input
                value={draft.language}
                maxLength={40}
                onChange={(e) => set({ language: e.target.value })}
              />
            </label>
          </div>
          <label>
            Voice and tone
            <textarea
              rows={3}
              value={draft.voice}
              maxLength={1000}
              onChange={(e) => set({ voice: e.target.value })}
            />
          </label>
          <div className="grid-2">
            <label>
              Always (one rule per line)
              <textarea
                rows={4}
                value={draft.rules.do.join('\n')}
                onChange={(e) => set({ rules: { ...draft.rules, do: lines(e.target.value) } })}
              />
            </label>
            <label>
              Never (one rule per line)
              <textarea
                rows={4}
                value={draft.rules.dont.join('\n')}
                onChange={(e) => set({ rules: { ...draft.rules, dont: lines(e.target.value) } })}
              />
            </label>
          </div>
          <label>
            Greeting
            <textarea
              rows={2}
              value={draft.greeting}
              maxLength={500}
              onChange={(e) => set({ greeting: e.target.value })}
            />
          </label>
          <label>
            When the documents do not cover a question, say
            <textarea
              rows={2}
              value={draft.refusal}
              maxLength={500}
              onChange={(e) => set({ refusal: e.target.value })}
            />
          </label>
          <fieldset className="segmented">
            <legend className="sr-only">Answer length</legend>
            {(['short', 'medium', 'long'] as const).map((l) => (
              <label key={l} className={draft.answerLength === l ? 'on' : ''}>
                <input
                  type="radio"
                  name="answer-length"
                  checked={draft.answerLength === l}
                  onChange={() => set({ answerLength: l })}
                />
                {l[0]?.toUpperCase()}
                {l.slice(1)} answers
              </label>
            ))}
          </fieldset>
        </section>
        <div className="persona-side">
          <section className="card" aria-label="Live preview">
            <h2 className="card-title">Live preview</h2>
            <p className="muted">Answers with the persona as edited, before you save it.</p>
            <form
              className="row"
              onSubmit={(e) => {
                e.preventDefault();
                void runPreview();
              }}
            >
              <label className="sr-only" htmlFor="preview-question">
                Preview question
              </label>
              <input
                id="preview-question"
                className="grow"
                placeholder="A question to try"
                value={question}
                onChange={(e) => setQuestion(e.target.value)}
              />
              <button type="submit" disabled={!question.trim()}>
                Preview
              </button>
            </form>
            {preview && (
              <div className="bubble bot preview" data-testid="persona-preview">
                {preview.answer?.refused && <Badge tone="warn">Refused</Badge>}
                <Markdown text={preview.text || 'Thinking…'} />
              </div>
            )}
          </section>
          <section className="card" aria-label="Version history">
            <h2 className="card-title">Version history</h2>
            <ol className="versions">
              {history.data?.map((v) => (
                <li key={v.id ?? 'default'}>
                  <div>
                    <strong>Version {v.version}</strong>
                    {v.id === current.data?.id && saved === null && (
                      <Badge tone="info">current</Badge>
                    )}
                    <div className="muted">
                      {v.note || 'No note'} ·{' '}
                      {v.createdAt ? new Date(v.createdAt).toLocaleString() : 'built in'}
                    </div>
                  </div>
                  <button
                    type="button"
                    onClick={() => {
                      if (v.id) void rollback(v.id);
                    }}
                    aria-label={`Roll back to version ${v.version}`}
                  >
                    Roll back
                  </button>
                </li>
              ))}
            </ol>
            {history.data?.length === 0 && <p className="muted">No saved versions yet.</p>}
          </section>
        </div>
      </div>
    </div>
  );
}
