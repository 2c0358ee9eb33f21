import type { ProgramTree, StepEdit, StepView } from '@creator-hub/shared/api/index';

type ProgramIssue = ProgramTree['issues'][number];

import { useEffect, useState } from 'react';
import { Markdown } from '../../components/Markdown';
import { Tabs } from '../../components/ui';

type CheckIn = NonNullable<StepEdit['checkIn']>;
const KINDS: { value: CheckIn['kind'] | 'none'; label: string }[] = [
  { value: 'none', label: 'No check-in' },
  { value: 'text', label: 'Free text' },
  { value: 'scale', label: 'Scale 1–10' },
  { value: 'choice', label: 'Multiple choice' },
  { value: 'yes_no', label: 'Yes / no' },
];

function toEdit(step: StepView): StepEdit {
  const { id: _id, links: _links, ...edit } = step;
  return edit;
}

function changeKind(edit: StepEdit, kind: CheckIn['kind'] | 'none'): StepEdit['checkIn'] {
  if (kind === 'none') return null;
  const prompt = edit.checkIn?.prompt ?? '';
  if (kind === 'choice') return { kind, prompt, options: ['', ''], multiple: false };
  return { kind, prompt };
}

/** One step: lesson (Markdown with preview), check-in, proactive message, schedule, completion. */
export function StepEditor({
  step,
  issues,
  onSave,
  onRemove,
}: {
  step: StepView;
  issues: ProgramIssue[];
  onSave: (edit: StepEdit) => void;
  onRemove: () => void;
}) {
  const [edit, setEdit] = useState<StepEdit>(toEdit(step));
  const [tab, setTab] = useState<'write' | 'preview'>('write');
  useEffect(() => {
    setEdit(toEdit(step));
  }, [step]);
  const set = (patch: Partial<StepEdit>) => setEdit({ ...edit, ...patch });
  const hasIssue = (field: string) => issues.some((i) => i.path.includes(`.${field}`));

  return (
    <form
      className="card form step-editor"
      aria-label="Step editor"
      onSubmit={(e) => {
        e.preventDefault();
        onSave(edit);
      }}
    >
      {issues.length > 0 && (
        <ul className="issues" aria-label="Problems with this step">
          {issues.map((i) => (
            <li key={`${i.path}-${i.code}`}>{i.message}</li>
          ))}
        </ul>
      )}
      <label>
        Step title
        <input
          value={edit.title}
          maxLength={200}
          onChange={(e) => set({ title: e.target.value })}
          aria-invalid={hasIssue('title')}
        />
      </label>
      <div className="lesson">
        <Tabs
          label="Lesson"
          tabs={[
            ['write', 'Lesson'],
            ['preview', 'Preview'],
          ]}
          selected={tab}
          onSelect={setTab}
        />
        {tab === 'write' ? (
          <textarea
            aria-label="Lesson (Markdown)"
            rows={6}
            value={edit.lesson}
            onChange={(e) => set({ lesson: e.target.value })}
          />
        ) : (
          <div className="lesson-preview">
            <Markdown text={edit.lesson || '_Nothing written yet._'} />
          </div>
        )}
      </div>
      <div className="grid-2">
        <label>
          Check-in
          <select
            aria-label="Check-in type"
            value={edit.checkIn?.kind ?? 'none'}
            onChange={(e) =>
              set({ checkIn: changeKind(edit, e.target.value as CheckIn['kind'] | 'none') })
            }
          >
            {KINDS.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
          </select>
        </label>
        {edit.checkIn && (
          <label>
            Question
            <input
              value={edit.checkIn.prompt}
              maxLength={1000}
              onChange={(e) =>
                edit.checkIn && set({ checkIn: { ...edit.checkIn, prompt: e.target.value } })
              }
            />
          </label>
        )}
      </div>
      {edit.checkIn?.kind === 'choice' && (
        <label>
          Options (one per line)
          <textarea
            rows={3}
            value={edit.checkIn.options.join('\n')}
            onChange={(e) =>
              edit.checkIn?.kind === 'choice' &&
              set({
                checkIn: { ...edit.checkIn, options: e.target.value.split('\n').slice(0, 20) },
              })
            }
          />
        </label>
      )}
      <label>
        Proactive message (sent to the learner)
        <textarea
          rows={2}
          maxLength={2000}
          value={edit.proactiveMessage ?? ''}
          onChange={(e) => set({ proactiveMessage: e.target.value || null })}
        />
      </label>
      <fieldset className="schedule">
        <legend>Schedule</legend>
        <label>
          Day
          <input
            type="number"
            min={0}
            max={730}
            value={edit.schedule.dayOffset}
            onChange={(e) =>
              set({
                schedule: { ...edit.schedule, dayOffset: Math.max(0, Number(e.target.value) || 0) },
              })
            }
          />
        </label>
        <label>
          Counted from
          <select
            value={edit.schedule.anchor}
            onChange={(e) =>
              set({
                schedule: {
                  ...edit.schedule,
                  anchor: e.target.value as StepEdit['schedule']['anchor'],
                },
              })
            }
          >
            <option value="enrolment">enrolment</option>
            <option value="previous_completion">previous step done</option>
          </select>
        </label>
        <label>
          At
          <input
            type="time"
            value={edit.schedule.sendTime}
            onChange={(e) => set({ schedule: { ...edit.schedule, sendTime: e.target.value } })}
          />
        </label>
        <label>
          Done when
          <select
            value={edit.completion}
            onChange={(e) => set({ completion: e.target.value as StepEdit['completion'] })}
          >
            <option value="read">read</option>
            <option value="answered">check-in answered</option>
            <option value="manual">marked by hand</option>
          </select>
        </label>
      </fieldset>
      <div className="row">
        <button type="submit" className="primary">
          Save step
        </button>
        <button type="button" className="danger" onClick={onRemove}>
          Delete step
        </button>
      </div>
    </form>
  );
}
