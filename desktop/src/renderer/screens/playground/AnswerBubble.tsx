import type { Answer } from '@creator-hub/shared/api/index';
import { useMemo } from 'react';
import { Markdown } from '../../components/Markdown';
import { Badge } from '../../components/ui';

export function AnswerBubble({
  text,
  answer,
  pending,
  selected,
  onSelect,
  onCite,
}: {
  text: string;
  answer?: Answer;
  pending: boolean;
  selected: boolean;
  onSelect: () => void;
  onCite: (n: number) => void;
}) {
  const cited = useMemo(() => new Set(answer?.citations.map((c) => c.n) ?? []), [answer]);
  if (pending && !text) return <div className="bubble bot typing">Thinking…</div>;
  return (
    <div className={`bubble bot ${selected ? 'selected' : ''} ${answer?.refused ? 'refused' : ''}`}>
      {answer && (
        <div className="bubble-meta">
          {answer.refused && <Badge tone="warn">Refused: not in your documents</Badge>}
          {answer.mode === 'extractive' && <Badge tone="info">Quoted passages (no model)</Badge>}
          {answer.model && <span className="muted">{answer.model}</span>}
        </div>
      )}
      <Markdown text={text} citations={cited} onCite={onCite} className="answer-text" />
      {answer?.notice && <p className="muted notice">{answer.notice}</p>}
      {answer && answer.citations.length > 0 && (
        <ol className="sources" aria-label="Sources">
          {answer.citations.map((c) => (
            <li key={c.n}>
              <button type="button" className="link" onClick={() => onCite(c.n)}>
                [{c.n}] {c.title}
                {c.section && ` › ${c.section}`}
                {c.page !== null && `, p. ${c.page}`}
              </button>
            </li>
          ))}
        </ol>
      )}
      {answer && (
        <button type="button" className="ghost small" onClick={onSelect} aria-pressed={selected}>
          Show retrieved passages
        </button>
      )}
    </div>
  );
}
