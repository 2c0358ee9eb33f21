import type { Answer } from '@creator-hub/shared/api/index';
import { useEffect, useRef, useState } from 'react';
import { errorText, newOpId, useClient, useEvent, useLoad } from '../../api/context';
import { ErrorNote, PageHeader } from '../../components/ui';
import { DocumentView } from '../knowledge/DocumentView';
import { AnswerBubble } from './AnswerBubble';
import { RetrievedPanel } from './RetrievedPanel';

interface Turn {
  id: string;
  question: string;
  /** Streamed text until the answer arrives. */
  streaming: string;
  answer?: Answer;
  error?: string;
}

export function PlaygroundScreen() {
  const client = useClient();
  const kbs = useLoad('kb.list', {});
  const models = useLoad('models.list', {});
  const settings = useLoad('settings.get', {});
  const [kbId, setKbId] = useState('');
  const [model, setModel] = useState('');
  const [question, setQuestion] = useState('');
  const [turns, setTurns] = useState<Turn[]>([]);
  const [conversationId, setConversationId] = useState<string>();
  const [busy, setBusy] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [focus, setFocus] = useState<number | null>(null);
  const [opened, setOpened] = useState<{ documentId: string; chunkId?: number } | null>(null);
  const end = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!kbId && kbs.data?.[0]) setKbId(kbs.data[0].id);
  }, [kbs.data, kbId]);
  useEffect(() => {
    if (!model && settings.data) setModel(settings.data.chatModel);
  }, [settings.data, model]);
  useEvent('chat.token', (p) => {
    if (p.opId !== busy) return;
    setTurns((ts) =>
      ts.map((t) => (t.id === p.opId ? { ...t, streaming: t.streaming + p.token } : t)),
    );
  });
  // Braces matter: scrollIntoView returns a promise in recent Chromium, and an effect must not.
  const lastTurn = turns.at(-1);
  useEffect(() => {
    if (lastTurn) end.current?.scrollIntoView({ block: 'end' });
  }, [lastTurn]);

  const send = async () => {
    const q = question.trim();
    if (!q || busy) return;
    const opId = newOpId();
    setBusy(opId);
    setQuestion('');
    setTurns((ts) => [...ts, { id: opId, question: q, streaming: '' }]);
    try {
      const answer = await client.send('chat.ask', {
        opId,
        question: q,
        ...(conversationId ? { conversationId } : {}),
        ...(kbId ? { kbId } : {}),
        ...(model ? { model } : {}),
      });
      setConversationId(answer.conversationId);
      setTurns((ts) => ts.map((t) => (t.id === opId ? { ...t, answer } : t)));
      setSelected(opId);
      setFocus(null);
    } catch (e) {
      setTurns((ts) => ts.map((t) => (t.id === opId ? { ...t, error: errorText(e) } : t)));
    } finally {
      setBusy(null);
    }
  };

  const current = turns.find((t) => t.id === selected)?.answer;
  const chatModels = models.data?.models.filter((m) => m.kind === 'chat').map((m) => m.name) ?? [];
  const modelOptions = model && !chatModels.includes(model) ? [model, ...chatModels] : chatModels;

  return (
    <div className="playground">
      <div className="chat-column">
        <PageHeader
          title="Playground"
          subtitle="Ask what your learners would ask. Every answer shows where it comes from."
          actions={
            <>
              <label className="inline-field">
                <span className="sr-only">Knowledge base</span>
                <select
                  aria-label="Knowledge base"
                  value={kbId}
                  onChange={(e) => setKbId(e.target.value)}
                >
                  {kbs.data?.map((k) => (
                    <option key={k.id} value={k.id}>
                      {k.name}
                    </option>
                  ))}
                </select>
              </label>
              <select aria-label="Model" value={model} onChange={(e) => setModel(e.target.value)}>
                {modelOptions.map((m) => (
                  <option key={m} value={m}>
                    {m}
                    {chatModels.includes(m) ? '' : ' (not available)'}
                  </option>
                ))}
              </select>
              <button
                type="button"
                onClick={() => {
                  setTurns([]);
                  setConversationId(undefined);
                  setSelected(null);
                }}
              >
                New chat
              </button>
            </>
          }
        />
        <div className="thread" aria-live="polite">
          {turns.length === 0 && (
            <p className="muted thread-empty">No questions yet. Try one your learners ask often.</p>
          )}
          {turns.map((t) => (
            <div key={t.id} className="turn">
              <div className="bubble user">{t.question}</div>
              <AnswerBubble
                text={t.answer?.answer ?? t.streaming}
                answer={t.answer}
                pending={!t.answer && !t.error}
                selected={selected === t.id}
                onSelect={() => setSelected(t.id)}
                onCite={(n) => {
                  setSelected(t.id);
                  setFocus(n);
                  const c = t.answer?.citations.find((x) => x.n === n);
                  if (c)
                    setOpened({
                      documentId: c.documentId,
                      ...(c.chunkId ? { chunkId: c.chunkId } : {}),
                    });
                }}
              />
              <ErrorNote error={t.error} />
            </div>
          ))}
          <div ref={end} />
        </div>
        <form
          className="composer"
          onSubmit={(e) => {
            e.preventDefault();
            void send();
          }}
        >
          <label htmlFor="question" className="sr-only">
            Question
          </label>
          <textarea
            id="question"
            rows={2}
            placeholder="Ask a question…"
            value={question}
            maxLength={4000}
            onChange={(e) => setQuestion(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey) {
                e.preventDefault();
                void send();
              }
            }}
          />
          {busy ? (
            <button type="button" onClick={() => void client.send('chat.cancel', { opId: busy })}>
              Stop
            </button>
          ) : (
            <button type="submit" className="primary" disabled={!question.trim()}>
              Ask
            </button>
          )}
        </form>
      </div>
      <RetrievedPanel
        answer={current}
        focus={focus}
        onOpen={(documentId, chunkId) => setOpened({ documentId, chunkId })}
      />
      {opened && (
        <div
          className="drawer"
          role="dialog"
          aria-modal="true"
          aria-label="Cited passage"
          onKeyDown={(e) => e.key === 'Escape' && setOpened(null)}
        >
          <DocumentView
            documentId={opened.documentId}
            {...(opened.chunkId ? { focusChunk: opened.chunkId } : {})}
            onClose={() => setOpened(null)}
          />
        </div>
      )}
    </div>
  );
}
