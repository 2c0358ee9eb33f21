import type { ApiEvent } from '@creator-hub/shared/api/index';
import { useEffect, useRef, useState } from 'react';
import { errorText, newOpId, useClient, useEvent } from '../../api/context';
import { Badge, ErrorNote, ProgressBar } from '../../components/ui';

type Row = ApiEvent<'ingest.progress'>;

const ACCEPT = '.pdf,.docx,.txt,.md,.markdown';

/** Drop zone and file picker; one progress bar per file with its final status and reason. */
export function ImportPanel({ kbId, onImported }: { kbId: string; onImported: () => void }) {
  const client = useClient();
  const input = useRef<HTMLInputElement>(null);
  const zone = useRef<HTMLDivElement>(null);
  const [rows, setRows] = useState<Row[]>([]);
  const [op, setOp] = useState<string | null>(null);
  const [over, setOver] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEvent('ingest.progress', (p) => {
    if (p.opId !== op) return;
    setRows((prev) => {
      const next = [...prev];
      next[p.index] = p;
      return next;
    });
  });

  const start = async (files: File[]) => {
    if (files.length === 0) return;
    const opId = newOpId();
    setOp(opId);
    setError(null);
    setRows(
      files.map((f, index) => ({
        opId,
        index,
        total: files.length,
        name: f.name,
        phase: 'queued' as const,
        fraction: 0,
      })),
    );
    try {
      const refs = await Promise.all(files.map((f) => client.stageFile(f)));
      const { results } = await client.send('ingest.import', { opId, kbId, files: refs });
      // The answer is authoritative: it also covers events that arrived before we listened.
      setRows(
        results.map((r, index) => ({
          opId,
          index,
          total: results.length,
          name: r.name,
          phase: 'done' as const,
          fraction: 1,
          status: r.status,
          ...(r.reason ? { reason: r.reason } : {}),
        })),
      );
    } catch (e) {
      setError(errorText(e));
    } finally {
      onImported();
    }
  };

  const startRef = useRef(start);
  startRef.current = start;
  // Native listeners: the drop zone is a plain region; its keyboard path is the button inside.
  useEffect(() => {
    const el = zone.current;
    if (!el) return;
    const over = (e: DragEvent) => {
      e.preventDefault();
      setOver(true);
    };
    const leave = () => setOver(false);
    const drop = (e: DragEvent) => {
      e.preventDefault();
      setOver(false);
      void startRef.current([...(e.dataTransfer?.files ?? [])]);
    };
    el.addEventListener('dragover', over);
    el.addEventListener('dragleave', leave);
    el.addEventListener('drop', drop);
    return () => {
      el.removeEventListener('dragover', over);
      el.removeEventListener('dragleave', leave);
      el.removeEventListener('drop', drop);
    };
  }, []);

  return (
    <section className="card import" aria-label="Import documents">
      <div ref={zone} className={`dropzone ${over ? 'over' : ''}`}>
        <p>
          <strong>Drop files here</strong> — PDF, Word (.docx), text or Markdown
        </p>
        <button type="button" className="primary" onClick={() => input.current?.click()}>
          Choose files…
        </button>
        <input
          ref={input}
          type="file"
          multiple
          accept={ACCEPT}
          hidden
          data-testid="file-input"
          onChange={(e) => {
            void start([...(e.target.files ?? [])]);
            e.target.value = '';
          }}
        />
      </div>
      <ErrorNote error={error} />
      {rows.length > 0 && (
        <ul className="import-list" aria-label="Import progress">
          {rows.map((r) => (
            <li
              key={`${r.index}-${r.name}`}
              className="import-row"
              data-status={r.status ?? r.phase}
            >
              <span className="import-name" title={r.name}>
                {r.name}
              </span>
              <ProgressBar value={r.fraction} label={`${r.name} progress`} />
              <span className="import-status">
                {r.status === 'ok' && <Badge tone="ok">Imported</Badge>}
                {r.status === 'duplicate' && <Badge tone="info">Already there</Badge>}
                {r.status === 'rejected' && <Badge tone="bad">Rejected</Badge>}
                {!r.status && (
                  <span className="muted">{r.phase === 'queued' ? 'Waiting' : 'Reading…'}</span>
                )}
              </span>
              {r.reason && <span className="import-reason">{r.reason}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
