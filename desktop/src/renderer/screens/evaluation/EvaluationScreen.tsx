import type { EvalRun } from '@creator-hub/shared/api/index';
import { useEffect, useState } from 'react';
import { errorText, newOpId, useClient, useEvent, useLoad } from '../../api/context';
import { Badge, ErrorNote, PageHeader, ProgressBar } from '../../components/ui';
import { MetricBars, TrendChart } from './charts';
import { TestSetEditor } from './TestSetEditor';

const METRICS = [
  { key: 'hitAtK', label: 'Right source found' },
  { key: 'citationAccuracy', label: 'Citations correct' },
  { key: 'refusalCorrectness', label: 'Refusals correct' },
  { key: 'phraseMatch', label: 'Expected phrase' },
];

export function EvaluationScreen() {
  const client = useClient();
  const kbs = useLoad('kb.list', {});
  const [kbId, setKbId] = useState('');
  useEffect(() => {
    if (!kbId && kbs.data?.[0]) setKbId(kbs.data[0].id);
  }, [kbs.data, kbId]);
  const cases = useLoad('evals.list', kbId ? { kbId } : null);
  const docs = useLoad('documents.list', kbId ? { kbId } : null);
  const runs = useLoad('evals.runs', kbId ? { kbId } : null);
  const [run, setRun] = useState<EvalRun | null>(null);
  const [progress, setProgress] = useState<{ opId: string; done: number; total: number } | null>(
    null,
  );
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const latest = runs.data?.[0];
    if (latest && run?.id !== latest.id && !progress) {
      client
        .send('evals.getRun', { runId: latest.id })
        .then(setRun)
        .catch(() => undefined);
    }
  }, [runs.data, run?.id, progress, client]);
  useEvent('evals.progress', (p) => {
    if (p.opId === progress?.opId) setProgress(p);
  });

  const start = async () => {
    const opId = newOpId();
    setError(null);
    setProgress({
      opId,
      done: 0,
      total: cases.data?.filter((c) => c.status === 'accepted').length ?? 0,
    });
    try {
      setRun(await client.send('evals.run', { opId, kbId }));
      runs.reload();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setProgress(null);
    }
  };

  const previous = runs.data?.find((r) => r.id === run?.previousRunId);
  const history = [...(runs.data ?? [])].reverse().slice(-12);
  return (
    <div className="evaluation">
      <PageHeader
        title="Evaluation"
        subtitle="Check your companion before learners do: does it find the right source, cite it, and refuse what it cannot know?"
        actions={
          <>
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
            <button
              type="button"
              className="primary"
              disabled={!!progress || !kbId}
              onClick={() => void start()}
            >
              Run evaluation
            </button>
          </>
        }
      />
      {progress && (
        <div className="card embed-progress" data-testid="eval-progress">
          <span>
            Question {progress.done} of {progress.total}
          </span>
          <ProgressBar
            value={progress.total ? progress.done / progress.total : 0}
            label="Evaluation progress"
          />
        </div>
      )}
      <ErrorNote error={error} />
      <div className="eval-grid">
        {kbId && (
          <TestSetEditor
            kbId={kbId}
            cases={cases.data ?? []}
            documents={docs.data ?? []}
            onChange={cases.reload}
          />
        )}
        <section className="card" aria-label="Results">
          <h2 className="card-title">Latest run</h2>
          {!run ? (
            <p className="muted">No run yet. Add a few questions, then run the evaluation.</p>
          ) : (
            <div data-testid="eval-results">
              <p className="muted">
                {new Date(run.createdAt).toLocaleString()} · {run.results.length} questions · top{' '}
                {run.k}
                {previous ? ' · the line marks the previous run' : ''}
              </p>
              <MetricBars
                metrics={run.metrics}
                {...(previous ? { previous: previous.metrics } : {})}
                keys={METRICS}
              />
              {history.length > 1 && (
                <div className="trends">
                  {METRICS.slice(0, 3).map((m) => (
                    <TrendChart
                      key={m.key}
                      label={m.label}
                      series={history.map((r) => r.metrics[m.key] ?? null)}
                    />
                  ))}
                </div>
              )}
              <h3>Regressions since the previous run</h3>
              {run.regressions.length === 0 ? (
                <p className="muted" data-testid="no-regressions">
                  {run.previousRunId ? 'None.' : 'This is the first run.'}
                </p>
              ) : (
                <ul className="regressions">
                  {run.regressions.map((r) => (
                    <li key={r.caseId}>
                      <strong>{r.question}</strong>{' '}
                      <span className="muted">{r.what.join(', ')}</span>
                    </li>
                  ))}
                </ul>
              )}
              <h3>Questions</h3>
              <ul className="results">
                {run.results.map((r) => (
                  <li key={r.caseId}>
                    <Badge tone={r.passed ? 'ok' : 'bad'}>{r.passed ? 'pass' : 'fail'}</Badge>
                    <span>{r.question}</span>
                  </li>
                ))}
              </ul>
            </div>
          )}
        </section>
      </div>
    </div>
  );
}
