import type { DocumentSummary } from '@creator-hub/shared/api/index';
import { useEffect, useState } from 'react';
import { errorText, newOpId, useClient, useEvent, useLoad } from '../../api/context';
import { Empty, ErrorNote, PageHeader, ProgressBar } from '../../components/ui';
import { DocumentView, formatBytes } from './DocumentView';
import { ImportPanel } from './ImportPanel';
import { useUndoableRemove } from './useUndoableRemove';

const FORMATS = ['pdf', 'docx', 'txt', 'md'] as const;

export function KnowledgeScreen() {
  const client = useClient();
  const kbs = useLoad('kb.list', {});
  const [kbId, setKbId] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [format, setFormat] = useState<DocumentSummary['format'] | ''>('');
  const [openDoc, setOpenDoc] = useState<string | null>(null);
  const [newName, setNewName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [embed, setEmbed] = useState<{ done: number; total: number } | null>(null);

  useEffect(() => {
    if (!kbId && kbs.data?.[0]) setKbId(kbs.data[0].id);
  }, [kbs.data, kbId]);
  const kb = kbs.data?.find((k) => k.id === kbId);
  const docs = useLoad(
    'documents.list',
    kbId ? { kbId, ...(query ? { query } : {}), ...(format ? { format } : {}) } : null,
  );
  const refresh = () => {
    kbs.reload();
    docs.reload();
  };
  const removal = useUndoableRemove(refresh);
  const [embedNote, setEmbedNote] = useState<string | null>(null);
  useEvent('embed.progress', (p) => {
    if (p.kbId !== kbId) return;
    const over = p.finished === true || p.done >= p.total;
    setEmbed(over ? null : p);
    if (p.finished) setEmbedNote(p.error ? `Vectors paused: ${p.error}` : null);
    if (over) kbs.reload();
  });

  const createKb = async () => {
    try {
      const created = await client.send('kb.create', { name: newName });
      setNewName('');
      setKbId(created.id);
      kbs.reload();
    } catch (e) {
      setError(errorText(e));
    }
  };

  const fillVectors = async () => {
    if (!kbId) return;
    setEmbedNote(null);
    setEmbed({ done: 0, total: kb?.pendingVectors ?? 0 });
    try {
      await client.send('embed.run', { opId: newOpId(), kbId });
    } catch (e) {
      setEmbedNote(`Vectors paused: ${errorText(e)}`);
    } finally {
      setEmbed(null);
      kbs.reload();
    }
  };

  const visible = (docs.data ?? []).filter((d) => d.id !== removal.pending?.id);
  return (
    <div className="knowledge">
      <aside className="kb-list card" aria-label="Knowledge bases">
        <h2 className="card-title">Knowledge bases</h2>
        <ul>
          {kbs.data?.map((k) => (
            <li key={k.id}>
              <button
                type="button"
                className={`kb-item ${k.id === kbId ? 'active' : ''}`}
                aria-pressed={k.id === kbId}
                onClick={() => {
                  setKbId(k.id);
                  setOpenDoc(null);
                }}
              >
                <span>{k.name}</span>
                <span className="muted">{k.documents}</span>
              </button>
            </li>
          ))}
        </ul>
        <form
          className="kb-new"
          onSubmit={(e) => {
            e.preventDefault();
            void createKb();
          }}
        >
          <label className="sr-only" htmlFor="kb-new-name">
            New knowledge base name
          </label>
          <input
            id="kb-new-name"
            placeholder="New knowledge base"
            value={newName}
            maxLength={100}
            onChange={(e) => setNewName(e.target.value)}
          />
          <button type="submit" disabled={!newName.trim()}>
            Add
          </button>
        </form>
        <ErrorNote error={error} />
      </aside>

      <div className="knowledge-main">
        <PageHeader
          title={kb?.name ?? 'Knowledge'}
          actions={
            kb && kb.pendingVectors > 0 && !embed ? (
              <button type="button" onClick={() => void fillVectors()}>
                Add vectors to {kb.pendingVectors} chunks
              </button>
            ) : undefined
          }
          subtitle={
            kb && (
              <span data-testid="kb-stats">
                {kb.documents} documents · {kb.chunks} chunks ·{' '}
                {kb.embedding
                  ? `vectors: ${kb.embedding.model} (${kb.embedding.dims}-d)`
                  : 'keyword search only (no vectors yet)'}
                {kb.pendingVectors > 0 &&
                  kb.embedding &&
                  ` · ${kb.pendingVectors} chunks waiting for vectors`}
              </span>
            )
          }
        />
        {embedNote && !embed && <p className="note note-warn">{embedNote}</p>}
        {embed && (
          <div className="card embed-progress">
            <span>
              Embedding {embed.done} of {embed.total} chunks
            </span>
            <ProgressBar value={embed.done / embed.total} label="Embedding progress" />
          </div>
        )}
        {kbId && <ImportPanel kbId={kbId} onImported={refresh} />}

        {openDoc ? (
          <DocumentView
            documentId={openDoc}
            onClose={() => setOpenDoc(null)}
            onRemove={() => {
              const d = docs.data?.find((x) => x.id === openDoc);
              removal.remove(openDoc, d?.title ?? 'document');
              setOpenDoc(null);
            }}
          />
        ) : (
          <section className="card" aria-label="Documents">
            <div className="toolbar">
              <label className="sr-only" htmlFor="doc-search">
                Search documents
              </label>
              <input
                id="doc-search"
                type="search"
                placeholder="Filter by title or path"
                value={query}
                onChange={(e) => setQuery(e.target.value)}
              />
              <label className="sr-only" htmlFor="doc-format">
                Format
              </label>
              <select
                id="doc-format"
                value={format}
                onChange={(e) => setFormat(e.target.value as typeof format)}
              >
                <option value="">All formats</option>
                {FORMATS.map((f) => (
                  <option key={f} value={f}>
                    {f.toUpperCase()}
                  </option>
                ))}
              </select>
            </div>
            <ErrorNote error={docs.error} />
            {visible.length === 0 ? (
              <Empty title={query || format ? 'No document matches' : 'No documents yet'}>
                {!query && !format && <p>Import files above to build this knowledge base.</p>}
              </Empty>
            ) : (
              <table className="doc-table">
                <thead>
                  <tr>
                    <th>Title</th>
                    <th>Format</th>
                    <th className="num">Chunks</th>
                    <th className="num">Size</th>
                    <th>
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {visible.map((d) => (
                    <tr key={d.id}>
                      <td>
                        <button type="button" className="link" onClick={() => setOpenDoc(d.id)}>
                          {d.title}
                        </button>
                      </td>
                      <td>{d.format.toUpperCase()}</td>
                      <td className="num">{d.chunks}</td>
                      <td className="num">{formatBytes(d.byteSize)}</td>
                      <td className="actions">
                        <button
                          type="button"
                          className="ghost"
                          aria-label={`Remove ${d.title}`}
                          onClick={() => removal.remove(d.id, d.title)}
                        >
                          Remove
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        )}
      </div>
      {removal.pending && (
        <div className="toast" role="status">
          Removed “{removal.pending.title}”.
          <button type="button" onClick={removal.undo}>
            Undo
          </button>
        </div>
      )}
    </div>
  );
}
