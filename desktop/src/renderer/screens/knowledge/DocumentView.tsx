import { useEffect, useRef } from 'react';
import { useLoad } from '../../api/context';
import { Markdown } from '../../components/Markdown';
import { ErrorNote } from '../../components/ui';

/** One document: its sections and every chunk as it will be cited. */
export function DocumentView({
  documentId,
  focusChunk,
  onClose,
  onRemove,
}: {
  documentId: string;
  focusChunk?: number;
  onClose: () => void;
  onRemove?: () => void;
}) {
  const doc = useLoad('documents.get', { documentId });
  const closeRef = useRef<HTMLButtonElement>(null);
  // Keyboard users land on the view they opened, and Escape/Close takes them back.
  useEffect(() => {
    if (documentId) closeRef.current?.focus();
  }, [documentId]);
  const d = doc.data;
  return (
    <section className="card doc-view" aria-label="Document">
      <header className="doc-view-header">
        <div>
          <h2>{d?.title ?? 'Loading…'}</h2>
          {d && (
            <p className="muted">
              {d.format.toUpperCase()} · {d.chunks} chunks
              {d.pages ? ` · ${d.pages} pages` : ''} · {formatBytes(d.byteSize)}
            </p>
          )}
        </div>
        <div className="row">
          {onRemove && (
            <button type="button" className="danger" onClick={onRemove}>
              Remove
            </button>
          )}
          <button type="button" onClick={onClose} aria-label="Close document" ref={closeRef}>
            Close
          </button>
        </div>
      </header>
      <ErrorNote error={doc.error} />
      {d && d.sections.length > 1 && (
        <nav className="sections" aria-label="Sections">
          {d.sections.map((s) => (
            <span key={s.title} className="section-chip">
              {s.title || '(no heading)'} <span className="muted">{s.chunks}</span>
            </span>
          ))}
        </nav>
      )}
      <ol className="chunks">
        {d?.chunkList.map((c) => (
          <li
            key={c.id}
            className={`chunk ${focusChunk === c.id ? 'focused' : ''}`}
            data-chunk={c.id}
            ref={
              focusChunk === c.id
                ? (el) => {
                    el?.scrollIntoView({ block: 'center' });
                  }
                : undefined
            }
          >
            <div className="chunk-meta">
              #{c.ordinal + 1}
              {c.section && ` · ${c.section}`}
              {c.page !== null && ` · p. ${c.page}`}
            </div>
            <Markdown text={c.text} className="chunk-text" />
          </li>
        ))}
      </ol>
      {d?.truncated && <p className="muted">Only the first 2,000 chunks are shown.</p>}
    </section>
  );
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
