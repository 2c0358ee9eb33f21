import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';
import { twoModuleProgram } from './fixtures';

interface SimJson {
  events: { at: string; day: number; kind: string; step: string }[];
  waiting: { step: string; needs: string }[];
  current: { step: string; day: number } | null;
}

function setup() {
  const home = tempDir();
  const run = (...args: string[]) => cli(['--home', home, ...args]);
  const file = join(home, 'sleep.json');
  writeFileSync(
    file,
    JSON.stringify({ format: 'creator-hub.program', version: 1, program: twoModuleProgram() }),
  );
  return { home, run, file };
}

describe('creator-hub program', () => {
  it('creates, lists, shows, exports and re-imports programs', async () => {
    const { home, run, file } = setup();
    const created = await run('program', 'create', 'Morning pages', '--json');
    expect(created.code).toBe(0);
    expect(created.json<{ title: string }>()[0]?.title).toBe('Morning pages');

    const imported = await run('program', 'import', file);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/^Imported "Sleep reset" as a draft/);

    const list = await run('program', 'list', '--json');
    const programs = list.json<{ programs: { title: string; steps: number }[] }>()[0]?.programs;
    expect(programs?.map((p) => [p.title, p.steps])).toEqual([
      ['Morning pages', 0],
      ['Sleep reset', 4],
    ]);

    const text = await run('program', 'list');
    expect(text.stdout).toMatch(/^Sleep reset\tdraft\t2 modules, 4 steps\tv0\t/m);
    const show = await run('program', 'show', 'sleep reset');
    expect(show.stdout).toContain('Sleep reset [draft]');
    expect(show.stdout).toContain(
      '3. Wind-down routine — 2 day(s) after step 2 is completed at 19:30',
    );

    const out = join(home, 'out.json');
    expect((await run('program', 'export', 'Sleep reset', '--out', out)).code).toBe(0);
    const exported = JSON.parse(readFileSync(out, 'utf8'));
    expect(exported.program.modules[1].steps[0].checkIn.options).toEqual([
      'Reading',
      'Stretching',
      'Bath',
    ]);
    const stdout = await run('program', 'export', 'Sleep reset');
    expect(JSON.parse(stdout.stdout).program.title).toBe('Sleep reset');
    await run('program', 'create', 'Sleep reset');
    expect((await run('program', 'show', 'Sleep reset')).stderr).toContain(
      '2 programs are titled "Sleep reset"',
    );
  });

  it('refuses a malformed file, naming the fields, and stores nothing', async () => {
    const { home, run } = setup();
    const bad = join(home, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        format: 'creator-hub.program',
        version: 1,
        program: {
          title: '',
          modules: [{ title: 'M', steps: [{ title: 'S', completion: 'maybe' }] }],
        },
      }),
    );
    const result = await run('program', 'import', bad);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('the file is not a valid Creator Hub program');
    expect(result.stderr).toContain('- program.title: must not be empty');
    expect(result.stderr).toContain('- program.modules[0].steps[0].completion:');
    const huge = join(home, 'huge.json');
    writeFileSync(huge, Buffer.alloc(2_500_000, 0x20));
    expect((await run('program', 'import', huge)).stderr).toMatch(
      /2\.5 MB; a program file may be at most 2 MB/,
    );
    expect(
      (await run('program', 'list', '--json')).json<{ programs: unknown[] }>()[0]?.programs,
    ).toEqual([]);
  });

  it('validates: exit code 1 with every problem, 0 when valid', async () => {
    const { run, file } = setup();
    await run('program', 'import', file);
    await run('program', 'create', 'Empty');
    const bad = await run('program', 'validate', 'Empty', '--json');
    expect(bad.code).toBe(1);
    expect(bad.json<{ valid: boolean; issues: { code: string }[] }>()[0]).toEqual({
      valid: false,
      issues: [expect.objectContaining({ code: 'no_modules' })],
    });
    expect(bad.stderr).toContain('- modules: the program has no modules');
    const good = await run('program', 'validate', 'Sleep reset');
    expect([good.code, good.stdout.trim()]).toEqual([0, '"Sleep reset" is valid']);
  });

  it('simulates a learner for N days in their time zone, with scripted answers', async () => {
    const { run, file } = setup();
    await run('program', 'import', file);
    const sim = await run(
      'program',
      'simulate',
      'Sleep reset',
      '--days',
      '10',
      '--start',
      '2026-03-06T10:00',
      '--tz',
      'America/New_York',
      '--answer',
      'Rate your sleep=6',
      '--answer',
      '3=Bath',
      '--json',
    );
    expect(sim.code).toBe(0);
    const report = sim.json<SimJson>()[0];
    expect(
      report?.events
        .filter((e) => e.kind !== 'lesson')
        .map((e) => `${e.at} d${e.day} ${e.kind} ${e.step}`),
    ).toEqual([
      '2026-03-06T10:00:00.000-05:00 d0 message Welcome',
      '2026-03-06T10:00:00.000-05:00 d0 completed Welcome',
      '2026-03-07T08:00:00.000-05:00 d1 check_in Rate your sleep',
      '2026-03-07T08:00:00.000-05:00 d1 answer Rate your sleep',
      '2026-03-07T08:00:00.000-05:00 d1 completed Rate your sleep',
      '2026-03-09T19:30:00.000-04:00 d3 message Wind-down routine',
      '2026-03-09T19:30:00.000-04:00 d3 check_in Wind-down routine',
      '2026-03-09T19:30:00.000-04:00 d3 answer Wind-down routine',
      '2026-03-09T19:30:00.000-04:00 d3 completed Wind-down routine',
      '2026-03-10T09:00:00.000-04:00 d4 check_in Check with your coach',
    ]);
    expect(report?.waiting).toEqual([
      expect.objectContaining({ step: 'Check with your coach', needs: 'manual' }),
    ]);
    expect(report?.current).toMatchObject({ step: 'Check with your coach', day: 10 });

    const text = await run(
      'program',
      'simulate',
      'Sleep reset',
      '--days',
      '2',
      '--start',
      '2026-03-06',
      '--tz',
      'Europe/Berlin',
    );
    expect(text.stdout).toContain(
      'day 1  2026-03-07 08:00  check-in  Rate your sleep: How well did you sleep (1-10)?',
    );
    expect(text.stdout).toContain('waiting: "Rate your sleep" needs a check-in answer');

    const badTz = await run(
      'program',
      'simulate',
      'Sleep reset',
      '--days',
      '2',
      '--tz',
      'Moon/Base',
    );
    expect([badTz.code, badTz.stderr]).toEqual([
      1,
      expect.stringContaining('not an IANA time zone'),
    ]);
    const badDays = await run('program', 'simulate', 'Sleep reset', '--days', '0');
    expect(badDays.code).not.toBe(0);
    expect(badDays.stderr).toContain('must be a whole number from 1 to 3650');
    const noEq = await run('program', 'simulate', 'Sleep reset', '--days', '1', '--answer', '2');
    expect(noEq.stderr).toContain('--answer "2" must look like <step>=<answer>');
    const noStep = await run(
      'program',
      'simulate',
      'Sleep reset',
      '--days',
      '1',
      '--answer',
      '9=1',
    );
    expect(noStep.stderr).toContain('no step "9" in "Sleep reset"');
    const badAnswer = await run(
      'program',
      'simulate',
      'Sleep reset',
      '--days',
      '3',
      '--start',
      '2026-03-06',
      '--tz',
      'UTC',
      '--answer',
      '2=eleven',
    );
    expect(badAnswer.stderr).toContain('"eleven" is not a whole number from 1 to 10');
  });

  it('publishes, lists history, rolls back, deletes and undoes', async () => {
    const { run, file } = setup();
    await run('program', 'import', file);
    expect((await run('program', 'publish', 'Sleep reset', '--note', 'launch')).stdout).toContain(
      'as version 1',
    );
    expect((await run('program', 'show', 'Sleep reset')).stdout).toContain('[published]');
    expect((await run('program', 'rollback', 'Sleep reset', '1')).stdout).toContain(
      'now version 2',
    );
    const badVersion = await run('program', 'rollback', 'Sleep reset', 'two');
    expect([badVersion.code, badVersion.stderr]).toEqual([
      1,
      expect.stringContaining('must be a whole number from 1 (see history) or a version id'),
    ]);
    expect((await run('program', 'rollback', 'Sleep reset', '7')).stderr).toContain(
      'has no version 7',
    );
    const history = await run('program', 'history', 'Sleep reset', '--json');
    const versions = history.json<{
      versions: { id: string; version: number; kind: string }[];
    }>()[0]?.versions;
    expect(versions?.map((v) => [v.version, v.kind])).toEqual([
      [1, 'publish'],
      [2, 'rollback'],
    ]);
    // By id too: the id stays put while versions from other desktops arrive.
    const first = versions?.[0]?.id ?? '';
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect((await run('program', 'rollback', 'Sleep reset', first)).stdout).toContain(
      'back to version 1 (now version 3)',
    );
    expect((await run('program', 'history', 'Sleep reset')).stdout).toContain(`v1\tpublish\t`);
    expect((await run('program', 'history', 'Sleep reset')).stdout).toContain(first);
    expect(
      (await run('program', 'rollback', 'Sleep reset', '01a21000-0000-7000-8000-000000000000'))
        .stderr,
    ).toContain('has no version 01a21000-0000-7000-8000-000000000000');
    expect((await run('program', 'delete', 'Sleep reset')).code).toBe(0);
    expect((await run('program', 'show', 'Sleep reset')).stderr).toContain(
      'no program "Sleep reset"',
    );
    expect((await run('program', 'undo')).stdout).toBe('Undid: delete program "Sleep reset"\n');
    expect((await run('program', 'show', 'Sleep reset')).code).toBe(0);
  });
});
