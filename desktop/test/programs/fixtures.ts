import type { ProgramInput } from '@creator-hub/shared/programs/index';
import { openWorkspace, type Workspace } from '../../src/core/workspace';
import { tempDir } from '../helpers/tmp';

/** A two-module program touching every schedule anchor, check-in kind and completion rule. */
export function twoModuleProgram(): ProgramInput {
  return {
    title: 'Sleep reset',
    description: 'Two weeks to better sleep.',
    modules: [
      {
        title: 'Week 1: Foundations',
        steps: [
          {
            title: 'Welcome',
            lesson: '# Welcome\nWhy sleep matters.',
            proactiveMessage: 'Your sleep reset starts today!',
            schedule: { anchor: 'enrolment', dayOffset: 0, sendTime: '09:00' },
            completion: 'read',
          },
          {
            title: 'Rate your sleep',
            lesson: 'Notice how you slept.',
            checkIn: { kind: 'scale', prompt: 'How well did you sleep (1-10)?' },
            schedule: { anchor: 'enrolment', dayOffset: 1, sendTime: '08:00' },
            completion: 'answered',
          },
        ],
      },
      {
        title: 'Week 2: Routine',
        steps: [
          {
            title: 'Wind-down routine',
            lesson: 'Dim the lights an hour before bed.',
            checkIn: {
              kind: 'choice',
              prompt: 'Which will you try?',
              options: ['Reading', 'Stretching', 'Bath'],
            },
            proactiveMessage: 'Ready for week 2?',
            schedule: { anchor: 'previous_completion', dayOffset: 2, sendTime: '19:30' },
            completion: 'answered',
          },
          {
            title: 'Check with your coach',
            checkIn: { kind: 'yes_no', prompt: 'Did the routine help?' },
            schedule: { anchor: 'previous_completion', dayOffset: 1, sendTime: '09:00' },
            completion: 'manual',
          },
        ],
      },
    ],
  };
}

export function workspace(): Workspace {
  const ws = openWorkspace(tempDir());
  return ws;
}
