import type { ProgramTree, StepEdit } from '@creator-hub/shared/api/index';
import { useEffect, useState } from 'react';
import { errorText, newOpId, useClient, useLoad } from '../../api/context';
import { Badge, Empty, ErrorNote, PageHeader, Tabs } from '../../components/ui';
import { DraftDialog } from './DraftDialog';
import { ProgramTreeEditor } from './ProgramTreeEditor';
import { SimulationView } from './SimulationView';
import { StepEditor } from './StepEditor';

export function ProgramsScreen() {
  const client = useClient();
  const list = useLoad('programs.list', {});
  const [programId, setProgramId] = useState<string | null>(null);
  const [tree, setTree] = useState<ProgramTree | null>(null);
  const [stepId, setStepId] = useState<string | null>(null);
  const [view, setView] = useState<'edit' | 'simulate'>('edit');
  const [newTitle, setNewTitle] = useState('');
  const [drafting, setDrafting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!programId && list.data?.[0]) setProgramId(list.data[0].id);
  }, [list.data, programId]);
  useEffect(() => {
    if (!programId) return;
    client
      .send('programs.get', { programId })
      .then(setTree)
      .catch((e: unknown) => setError(errorText(e)));
  }, [client, programId]);

  /** Every edit answers with the whole program, so the tree and its problems stay in step. */
  const apply = async (edit: Promise<ProgramTree>) => {
    setError(null);
    try {
      const next = await edit;
      setTree(next);
      setProgramId(next.id);
      list.reload();
      return next;
    } catch (e) {
      setError(errorText(e));
      return null;
    }
  };
  const create = async () => {
    const t = await apply(client.send('programs.create', { title: newTitle }));
    if (t) setNewTitle('');
  };

  const located = tree?.modules
    .flatMap((m, mi) => m.steps.map((s, si) => ({ s, mi, si })))
    .find((x) => x.s.id === stepId);
  const stepIssues = located
    ? (tree?.issues ?? []).filter((i) =>
        i.path.startsWith(`modules[${located.mi}].steps[${located.si}]`),
      )
    : [];
  const programIssues = (tree?.issues ?? []).filter(
    (i) => !/^modules\[\d+\]\.steps\[\d+\]/.test(i.path),
  );

  return (
    <div className="programs">
      <PageHeader
        title="Programs"
        subtitle="Coaching programs: modules of steps, each with a lesson, a check-in and a schedule."
        actions={
          <>
            <select
              aria-label="Program"
              value={programId ?? ''}
              onChange={(e) => {
                setProgramId(e.target.value);
                setStepId(null);
              }}
            >
              {list.data?.length === 0 && <option value="">No programs yet</option>}
              {list.data?.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.title}
                </option>
              ))}
            </select>
            <button type="button" onClick={() => setDrafting(true)}>
              Draft with AI…
            </button>
          </>
        }
      />
      <form
        className="row new-program"
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <label className="sr-only" htmlFor="new-program">
          New program title
        </label>
        <input
          id="new-program"
          placeholder="New program title"
          value={newTitle}
          onChange={(e) => setNewTitle(e.target.value)}
        />
        <button type="submit" disabled={!newTitle.trim()}>
          Create program
        </button>
      </form>
      <ErrorNote error={error} />
      {drafting && (
        <DraftDialog
          onClose={() => setDrafting(false)}
          onDraft={async (goal, audience, weeks) => {
            const t = await apply(
              client.send('programs.draft', { opId: newOpId(), goal, audience, weeks }),
            );
            if (t) setDrafting(false);
          }}
        />
      )}
      {!tree ? (
        <Empty title="No program yet">
          <p>Create one above, or let the local AI draft one from your documents.</p>
        </Empty>
      ) : (
        <>
          <div className="program-bar">
            <h2>{tree.title}</h2>
            <Badge tone={tree.status === 'published' ? 'ok' : 'info'}>{tree.status}</Badge>
            {tree.issues.length > 0 ? (
              <Badge tone="warn">{tree.issues.length} to fix before publishing</Badge>
            ) : (
              <Badge tone="ok">ready to publish</Badge>
            )}
            <span className="grow" />
            <Tabs
              label="Program view"
              tabs={[
                ['edit', 'Edit'],
                ['simulate', 'Simulate a learner'],
              ]}
              selected={view}
              onSelect={setView}
            />
            <button
              type="button"
              disabled={!tree.canUndo}
              onClick={() => void apply(client.send('programs.undo', { programId: tree.id }))}
            >
              Undo
            </button>
          </div>
          {programIssues.length > 0 && (
            <ul className="issues" aria-label="Problems with this program">
              {programIssues.map((i) => (
                <li key={`${i.path}-${i.code}`}>{i.message}</li>
              ))}
            </ul>
          )}
          {view === 'simulate' ? (
            <SimulationView programId={tree.id} />
          ) : (
            <div className="program-grid">
              <div className="tree">
                <ProgramTreeEditor
                  tree={tree}
                  selectedStep={stepId}
                  onSelect={setStepId}
                  onMove={(id, toModuleId, toIndex) =>
                    void apply(
                      client.send('programs.moveStep', { stepId: id, toModuleId, toIndex }),
                    )
                  }
                  onAddModule={(title) =>
                    void apply(client.send('programs.addModule', { programId: tree.id, title }))
                  }
                  onAddStep={(moduleId, title) =>
                    void apply(client.send('programs.addStep', { moduleId, title }))
                  }
                  onRenameModule={(moduleId, title) => {
                    const m = tree.modules.find((x) => x.id === moduleId);
                    void apply(
                      client.send('programs.updateModule', {
                        moduleId,
                        title,
                        description: m?.description ?? '',
                      }),
                    );
                  }}
                  onRemoveModule={(moduleId) =>
                    void apply(client.send('programs.removeModule', { moduleId }))
                  }
                />
              </div>
              {located ? (
                <StepEditor
                  step={located.s}
                  issues={stepIssues}
                  onSave={(step: StepEdit) =>
                    void apply(client.send('programs.updateStep', { stepId: located.s.id, step }))
                  }
                  onRemove={() => {
                    setStepId(null);
                    void apply(client.send('programs.removeStep', { stepId: located.s.id }));
                  }}
                />
              ) : (
                <Empty title="Select a step to edit it" />
              )}
            </div>
          )}
        </>
      )}
    </div>
  );
}
