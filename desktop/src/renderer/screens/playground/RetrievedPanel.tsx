import type { Answer } from '@creator-hub/shared/api/index';
import { Markdown } from '../../components/Markdown';

/** What retrieval found for the selected answer, with scores: the creator sees why it answered. */
export function RetrievedPanel({
  answer,
  focus,
  onOpen,
}: {
  answer: Answer | undefined;
  focus: number | null;
  onOpen: (documentId: string, chunkId: number) => void;
}) {
  const focused = answer?.citations.find((c) => c.n === focus);
  const max = Math.max(...(answer?.retrieved.map((r) => r.score) ?? [1]), 1e-9);
  return (
    <aside className="card retrieved" aria-label="Retrieved passages">
      <h2 className="card-title">Retrieved passages</h2>
      {!answer && <p className="muted">Ask a question to see what the search found.</p>}
      {answer && answer.retrieved.length === 0 && <p className="muted">Nothing matched.</p>}
      <ol className="retrieved-list">
        {answer?.retrieved.map((r, i) => {
          const citedAs = answer.citations.find((c) => c.chunkId === r.chunkId)?.n;
          return (
            <li
              key={r.chunkId}
              className={`passage ${focused?.chunkId === r.chunkId ? 'focused' : ''}`}
              data-chunk={r.chunkId}
            >
              <div className="passage-head">
                <span className="rank">#{i + 1}</span>
                {citedAs !== undefined && <span className="cite static">[{citedAs}]</span>}
                <button
                  type="button"
                  className="link"
                  onClick={() => onOpen(r.documentId, r.chunkId)}
                >
                  {r.title}
                </button>
                <span className="score" title="Fused retrieval score">
                  {r.score.toFixed(3)}
                </span>
              </div>
              <div className="score-bar" aria-hidden="true">
                <div style={{ width: `${Math.round((r.score / max) * 100)}%` }} />
              </div>
              {(r.section || r.page !== null) && (
                <div className="chunk-meta">
                  {r.section}
                  {r.page !== null && ` · p. ${r.page}`}
                </div>
              )}
              <Markdown
                text={r.text.length > 600 ? `${r.text.slice(0, 600)}…` : r.text}
                className="passage-text"
              />
            </li>
          );
        })}
      </ol>
    </aside>
  );
}
