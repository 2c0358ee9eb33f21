import { useState } from 'react';

/** Goal, audience and length for the local AI to draft a program from the knowledge base. */
export function DraftDialog({
  onDraft,
  onClose,
}: {
  onDraft: (goal: string, audience: string, weeks: number) => Promise<void>;
  onClose: () => void;
}) {
  const [goal, setGoal] = useState('');
  const [audience, setAudience] = useState('');
  const [weeks, setWeeks] = useState(4);
  const [busy, setBusy] = useState(false);
  return (
    <div className="drawer" role="dialog" aria-modal="true" aria-label="Draft a program with AI">
      <form
        className="card form"
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          void onDraft(goal, audience, weeks).finally(() => setBusy(false));
        }}
      >
        <h2>Draft a program with AI</h2>
        <p className="muted">
          The local model proposes modules and steps grounded in your documents. You then edit the
          draft by hand. Needs Ollama with a chat model.
        </p>
        <label>
          Goal
          <textarea
            rows={2}
            value={goal}
            maxLength={1000}
            onChange={(e) => setGoal(e.target.value)}
          />
        </label>
        <label>
          Audience
          <input value={audience} maxLength={500} onChange={(e) => setAudience(e.target.value)} />
        </label>
        <label>
          Weeks
          <input
            type="number"
            min={1}
            max={52}
            value={weeks}
            onChange={(e) => setWeeks(Number(e.target.value) || 1)}
          />
        </label>
        <div className="row">
          <button type="submit" className="primary" disabled={!goal.trim() || busy}>
            {busy ? 'Drafting…' : 'Draft'}
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </div>
  );
}
