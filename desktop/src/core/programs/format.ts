import type { ProgramIssue } from '@creator-hub/shared/programs/index';
import type { StoredProgram } from './read';
import type { SimEvent, Simulation } from './simulate';

/** Plain-text renderings for the command line. */
export function programOutline(program: StoredProgram): string[] {
  const lines = [`${program.title} [${program.status}] ${program.id}`];
  if (program.description) lines.push(`  ${program.description}`);
  let n = 0;
  for (const module of program.modules) {
    lines.push(`  ${module.title}  (module ${module.id})`);
    for (const step of module.steps) {
      n += 1;
      const { anchor, dayOffset, sendTime } = step.schedule;
      const when =
        anchor === 'enrolment'
          ? `day ${dayOffset} after enrolment`
          : `${dayOffset} day(s) after step ${n - 1} is completed`;
      const extras = [
        step.checkIn ? `check-in: ${step.checkIn.kind}` : '',
        step.proactiveMessage ? 'message' : '',
        step.links.length ? `${step.links.length} link(s)` : '',
      ].filter(Boolean);
      lines.push(
        `    ${n}. ${step.title} — ${when} at ${sendTime}, completes when ${completionText[step.completion]}${extras.length ? `; ${extras.join(', ')}` : ''}  (step ${step.id})`,
      );
    }
  }
  return lines;
}

const completionText = {
  read: 'read',
  answered: 'the check-in is answered',
  manual: 'marked done',
};

export function issueLines(issues: readonly ProgramIssue[]): string[] {
  return issues.map((i) => `  - ${i.message}`);
}

const KIND_LABEL: Record<SimEvent['kind'], string> = {
  message: 'message ',
  lesson: 'lesson  ',
  check_in: 'check-in',
  answer: 'answer  ',
  completed: 'done    ',
};

export function simulationReport(sim: Simulation): string[] {
  const zone = sim.options.timeZone;
  const lines = [`${sim.program.title}: enrolled ${sim.enrolledAt.toISO()} (${zone})`];
  for (const e of sim.events) {
    const text = e.text.split('\n')[0]?.slice(0, 80) ?? '';
    lines.push(
      `  day ${e.day}  ${e.at.slice(0, 16).replace('T', ' ')}  ${KIND_LABEL[e.kind]}  ${e.step}: ${text}`,
    );
  }
  for (const w of sim.waiting()) {
    lines.push(
      `  waiting: "${w.step}" needs ${w.needs === 'answer' ? 'a check-in answer' : 'to be marked done'}`,
    );
  }
  for (const u of sim.upcoming()) {
    lines.push(
      `  next: "${u.step}" ${u.sendAt ? `at ${u.sendAt}` : 'after an earlier step is completed'}`,
    );
  }
  return lines;
}
