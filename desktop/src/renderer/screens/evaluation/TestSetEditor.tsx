import type { DocumentSummary, EvalCase } from '@creator-hub/shared/api/index';
import { useState } from 'react';
import { errorText, newOpId, useClient } from '../../api/context';
import { Badge, ErrorNote } from '../../components/ui';

/** The creator's test questions: add by hand, or generate candidates from a document and accept them. */
export function TestSetEditor({
  kbId,
  cases,
  documents,
  onChange,
}: {
  kbId: string;
  cases: EvalCase[];
  documents: DocumentSummary[];
  onChange: () => void;
}) {
  const client = useClient();
  const [question, setQuestion] = useState('');
  const [kind, setKind] = useState<'answer' | 'refuse'>('answer');
  const [doc, setDoc] = useState('');
  const [phrase, setPhrase] = useState('');
  const [genDoc, setGenDoc] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const title = (id: string) => documents.find((d) => d.id === id)?.title ?? 'removed document';

  const guard = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
      onChange();
    } catch (e) {
      setError(errorText(e));
    }
  };
  const add = () =>
    guard(async () => {
      await client.send('evals.add', {
        kbId,
        question,
        kind,
        expectedDocuments: kind === 'answer' && doc ? [doc] : [],
        expectedPhrase: phrase.trim() || null,
      });
      setQuestion('');
      setPhrase('');
    });
  const generate = () =>
    guard(async () => {
      setBusy(true);
      try {
        await client.send('evals.generate', { opId: newOpId(), documentId: genDoc, count: 3 });
      } finally {
        setBusy(false);
      }
    });

  return (
    <section className="card" aria-label="Test questions">
      <h2 className="card-title">
        Test questions ({cases.filter((c) => c.status === 'accepted').length})
      </h2>
      <form
        className="case-form"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <label className="grow">
          Question
          <input value={question} maxLength={1000} onChange={(e) => setQuestion(e.target.value)} />
        </label>
        <label>
          Expected
          <select value={kind} onChange={(e) => setKind(e.target.value as 'answer' | 'refuse')}>
            <option value="answer">an answer from</option>
            <option value="refuse">a refusal</option>
          </select>
        </label>
        {kind === 'answer' && (
          <label>
            Source document
            <select value={doc} onChange={(e) => setDoc(e.target.value)}>
              <option value="">any</option>
              {documents.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.title}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          Phrase (optional)
          <input value={phrase} maxLength={300} onChange={(e) => setPhrase(e.target.value)} />
        </label>
        <button type="submit" disabled={!question.trim()}>
          Add question
        </button>
      </form>
      <div className="row generate">
        <label className="sr-only" htmlFor="gen-doc">
          Document to generate questions from
        </label>
        <select id="gen-doc" value={genDoc} onChange={(e) => setGenDoc(e.target.value)}>
          <option value="">Generate candidates from a document…</option>
          {documents.map((d) => (
            <option key={d.id} value={d.id}>
              {d.title}
            </option>
          ))}
        </select>
        <button type="button" disabled={!genDoc || busy} onClick={() => void generate()}>
          {busy ? 'Generating…' : 'Generate'}
        </button>
      </div>
      <ErrorNote error={error} />
      <ul className="cases">
        {cases.map((c) => (
          <li key={c.id} className={`case ${c.status}`}>
            <div className="case-text">
              <span>{c.question}</span>
              <span className="muted">
                {c.kind === 'refuse'
                  ? 'must be refused'
                  : `from ${c.expectedDocuments.map(title).join(', ') || 'any document'}`}
                {c.expectedPhrase && ` · must mention “${c.expectedPhrase}”`}
              </span>
            </div>
            {c.status === 'candidate' && (
              <>
                <Badge tone="info">candidate</Badge>
                <button
                  type="button"
                  onClick={() => void guard(() => client.send('evals.accept', { caseId: c.id }))}
                >
                  Accept
                </button>
              </>
            )}
            <button
              type="button"
              className="ghost"
              aria-label={`Remove question ${c.question}`}
              onClick={() => void guard(() => client.send('evals.remove', { caseId: c.id }))}
            >
              ✕
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
