import { programSchema } from '@creator-hub/shared/programs/index';
import { localTime } from '../desktop/src/core/programs/schedule';
import { Simulation } from '../desktop/src/core/programs/simulate';

/**
 * Simulating a learner through programs of growing size (up to the 50 × 100 step limit), against a
 * baseline of the irreducible work: one local-time resolution per step. The ratio should stay flat
 * as programs grow (the simulator is linear in the number of steps).
 */
function program(modules: number, steps: number) {
  return programSchema.parse({
    title: 'Bench',
    modules: Array.from({ length: modules }, (_, m) => ({
      title: `M${m}`,
      steps: Array.from({ length: steps }, (_, s) => ({
        title: `S${s}`,
        lesson: 'x',
        checkIn: s % 3 === 0 ? { kind: 'scale', prompt: 'How?' } : null,
        completion: s % 3 === 0 ? 'answered' : 'read',
        schedule: {
          anchor: s % 2 === 0 ? 'enrolment' : 'previous_completion',
          dayOffset: s % 2 === 0 ? Math.floor(((m * steps + s) * 730) / (modules * steps)) : 0,
          sendTime: '09:00',
        },
      })),
    })),
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

function time(fn: () => void, runs: number): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  return median(samples);
}

export async function run(): Promise<void> {
  for (const [modules, steps] of [
    [5, 10],
    [10, 50],
    [50, 100],
  ] as const) {
    const doc = program(modules, steps);
    const n = modules * steps;
    let sent = 0;
    const ms = time(
      () => {
        const sim = new Simulation(doc, {
          start: '2026-01-01T08:00',
          timeZone: 'America/New_York',
          autoRespond: true,
        });
        sim.advanceDays(800);
        sent = sim.events.filter((e) => e.kind === 'lesson').length;
      },
      n > 1000 ? 3 : 5,
    );
    const baseline = time(() => {
      for (let i = 0; i < n; i += 1) {
        localTime(
          'America/New_York',
          { year: 2026, month: 1 + (i % 12), day: 1 + (i % 28) },
          '09:00',
        );
      }
    }, 5);
    process.stdout.write(
      `${JSON.stringify({
        bench: 'program-simulate',
        steps: n,
        sent,
        ms: Math.round(ms * 10) / 10,
        usPerStep: Math.round((ms * 1000) / n),
        baselineMs: Math.round(baseline * 10) / 10,
        ratio: Math.round((ms / baseline) * 10) / 10,
      })}\n`,
    );
  }
}
