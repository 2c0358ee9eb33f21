import type { ProgramTree, StepView } from '@creator-hub/shared/api/index';
import {
  closestCenter,
  DndContext,
  type DragEndEvent,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
} from '@dnd-kit/core';
import {
  SortableContext,
  sortableKeyboardCoordinates,
  useSortable,
  verticalListSortingStrategy,
} from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { useState } from 'react';

interface Props {
  tree: ProgramTree;
  selectedStep: string | null;
  onSelect: (stepId: string) => void;
  onMove: (stepId: string, toModuleId: string, toIndex: number) => void;
  onAddModule: (title: string) => void;
  onAddStep: (moduleId: string, title: string) => void;
  onRenameModule: (moduleId: string, title: string) => void;
  onRemoveModule: (moduleId: string) => void;
}

function StepItem({
  step,
  selected,
  issues,
  onSelect,
}: {
  step: StepView;
  selected: boolean;
  issues: number;
  onSelect: () => void;
}) {
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({
    id: step.id,
  });
  return (
    <li
      ref={setNodeRef}
      style={{ transform: CSS.Transform.toString(transform), transition }}
      className={`step-item ${selected ? 'selected' : ''} ${isDragging ? 'dragging' : ''}`}
      data-step={step.title}
    >
      <button
        type="button"
        className="handle"
        aria-label={`Reorder ${step.title}`}
        {...attributes}
        {...listeners}
      >
        ⠿
      </button>
      <button type="button" className="step-title" onClick={onSelect} aria-pressed={selected}>
        <span>{step.title}</span>
        <span className="muted step-day">day {step.schedule.dayOffset}</span>
        {issues > 0 && (
          <>
            <span className="issue-dot" aria-hidden="true" />
            <span className="sr-only">{issues} problems</span>
          </>
        )}
      </button>
    </li>
  );
}

/** Modules and their steps; steps reorder by drag-and-drop or keyboard (space, arrows, space). */
export function ProgramTreeEditor(props: Props) {
  const { tree } = props;
  const [newModule, setNewModule] = useState('');
  const [newSteps, setNewSteps] = useState<Record<string, string>>({});
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );

  const moduleOf = (stepId: string) =>
    tree.modules.find((m) => m.steps.some((s) => s.id === stepId));
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    const target = tree.modules.find((m) => m.id === over.id) ?? moduleOf(String(over.id));
    if (!target) return;
    const index = target.steps.findIndex((s) => s.id === over.id);
    props.onMove(String(active.id), target.id, index < 0 ? target.steps.length : index);
  };
  const issuesFor = (m: number, s: number) =>
    tree.issues.filter((i) => i.path.startsWith(`modules[${m}].steps[${s}]`)).length;

  return (
    <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd}>
      <ol className="modules">
        {tree.modules.map((m, mi) => (
          <li key={m.id} className="module card">
            <div className="module-head">
              <span className="module-index">Module {mi + 1}</span>
              <input
                aria-label={`Module ${mi + 1} title`}
                defaultValue={m.title}
                onBlur={(e) =>
                  e.target.value.trim() &&
                  e.target.value !== m.title &&
                  props.onRenameModule(m.id, e.target.value)
                }
              />
              <button
                type="button"
                className="ghost"
                aria-label={`Delete module ${m.title}`}
                onClick={() => props.onRemoveModule(m.id)}
              >
                ✕
              </button>
            </div>
            <SortableContext
              id={m.id}
              items={m.steps.map((s) => s.id)}
              strategy={verticalListSortingStrategy}
            >
              <ol className="steps" aria-label={`Steps of ${m.title}`}>
                {m.steps.map((s, si) => (
                  <StepItem
                    key={s.id}
                    step={s}
                    selected={props.selectedStep === s.id}
                    issues={issuesFor(mi, si)}
                    onSelect={() => props.onSelect(s.id)}
                  />
                ))}
              </ol>
            </SortableContext>
            <form
              className="add-row"
              onSubmit={(e) => {
                e.preventDefault();
                const title = newSteps[m.id]?.trim();
                if (!title) return;
                props.onAddStep(m.id, title);
                setNewSteps({ ...newSteps, [m.id]: '' });
              }}
            >
              <input
                aria-label={`New step in ${m.title}`}
                placeholder="New step"
                value={newSteps[m.id] ?? ''}
                onChange={(e) => setNewSteps({ ...newSteps, [m.id]: e.target.value })}
              />
              <button type="submit">Add step</button>
            </form>
          </li>
        ))}
      </ol>
      <form
        className="add-row"
        onSubmit={(e) => {
          e.preventDefault();
          if (!newModule.trim()) return;
          props.onAddModule(newModule.trim());
          setNewModule('');
        }}
      >
        <input
          aria-label="New module title"
          placeholder="New module"
          value={newModule}
          onChange={(e) => setNewModule(e.target.value)}
        />
        <button type="submit">Add module</button>
      </form>
    </DndContext>
  );
}
