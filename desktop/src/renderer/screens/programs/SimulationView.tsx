import type { Simulation } from '@creator-hub/shared/api/index';
import { useState } from 'react';
import { errorText, useClient } from '../../api/context';
import { ErrorNote } from '../../components/ui';

const KIND_LABEL = { lesson: 'Lesson', check_in: 'Check-in', message: 'Message' } as const;

/** A learner's calendar: which lessons, messages and check-ins arrive on which day and hour. */
export function SimulationView({ programId }: { programId: string }) {
  const client = useClient();
  const [start, setStart] = useState(new Date().toISOString().slice(0, 10));
  const [timeZone, setTimeZone] = useState(Intl.DateTimeFormat().resolvedOptions().timeZone);
  const [days, setDays] = useState(14);
  const [sim, setSim] = useState<Simulation | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setError(null);
    try {
      setSim(
        await client.send('programs.simulate', { programId, startDate: start, timeZone, days }),
      );
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <section className="card" aria-label="Learner simulation">
      <form
        className="row sim-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <label>
          Start
          <input type="date" value={start} onChange={(e) => setStart(e.target.value)} />
        </label>
        <label>
          Time zone
          <input value={timeZone} onChange={(e) => setTimeZone(e.target.value)} />
        </label>
        <label>
          Days
          <input
            type="number"
            min={1}
            max={366}
            value={days}
            onChange={(e) => setDays(Number(e.target.value) || 1)}
          />
        </label>
        <button type="submit" className="primary">
          Simulate
        </button>
      </form>
      <ErrorNote error={error} />
      {sim && sim.days.length === 0 && (
        <p className="muted">Nothing would be sent in that period.</p>
      )}
      <ol className="timeline">
        {sim?.days.map((d) => (
          <li key={d.day} className="timeline-day">
            <div className="timeline-date">
              <strong>Day {d.day}</strong>
              <span className="muted">{d.date}</span>
            </div>
            <ul>
              {d.events.map((e) => (
                <li key={`${e.at}-${e.stepId}-${e.kind}`} className={`event event-${e.kind}`}>
                  <span className="event-time">{e.at.slice(11, 16)}</span>
                  <span className="event-kind">{KIND_LABEL[e.kind]}</span>
                  <span className="event-title">{e.title}</span>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
    </section>
  );
}
