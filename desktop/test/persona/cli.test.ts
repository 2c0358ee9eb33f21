import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

describe('creator-hub persona', () => {
  it('shows, sets, lists history and rolls back', async () => {
    const env = { CREATOR_HUB_HOME: tempDir() };
    const shown = await cli(['persona', 'show'], env);
    expect(shown.stdout).toMatch(/^Persona version 0 \(default\)\nName: +Companion/);

    const set = await cli(
      [
        'persona',
        'set',
        '--name',
        'Coach Mia',
        '--length',
        'short',
        '--do',
        'Be brief',
        '--do',
        'Use examples',
        '--note',
        'launch',
      ],
      env,
    );
    expect(set.stdout).toBe('Saved persona version 1.\n');
    await cli(['persona', 'set', '--refusal', 'Not in my notes, sorry.'], env);

    const json = (await cli(['persona', 'show', '--json'], env)).json<{
      version: number;
      persona: { name: string; answerLength: string; refusal: string; rules: { do: string[] } };
    }>()[0];
    expect(json).toMatchObject({
      version: 2,
      persona: { name: 'Coach Mia', answerLength: 'short', refusal: 'Not in my notes, sorry.' },
    });
    expect(json?.persona.rules.do).toEqual(['Be brief', 'Use examples']);

    const history = await cli(['persona', 'history'], env);
    expect(
      history.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t')[0]),
    ).toEqual(['2', '1']);
    expect(history.stdout).toContain('launch');

    const rollback = await cli(['persona', 'rollback', '1'], env);
    expect(rollback.stdout).toBe('Rolled back to version 1; it is now version 3.\n');
    const after = (await cli(['persona', 'show', '--json'], env)).json<{
      persona: { refusal: string };
    }>()[0];
    expect(after?.persona.refusal).not.toBe('Not in my notes, sorry.');
    const old = await cli(['persona', 'show', '--version', '2'], env);
    expect(old.stdout).toContain('Not in my notes, sorry.');
  });

  it('takes fields from a JSON file and rejects bad input without saving', async () => {
    const home = tempDir();
    const env = { CREATOR_HUB_HOME: home };
    const file = join(home, 'p.json');
    writeFileSync(file, JSON.stringify({ language: 'French', rules: { dont: ['No slang'] } }));
    expect((await cli(['persona', 'set', '--file', file], env)).code).toBe(0);

    writeFileSync(file, '{not json');
    const badJson = await cli(['persona', 'set', '--file', file], env);
    expect(badJson.stderr).toMatch(/not valid JSON/);
    writeFileSync(file, JSON.stringify({ name: 'x', evil: '<script>' }));
    expect((await cli(['persona', 'set', '--file', file], env)).stderr).toMatch(/invalid persona/);
    writeFileSync(file, 'x'.repeat(70_000));
    expect((await cli(['persona', 'set', '--file', file], env)).stderr).toMatch(
      /larger than 64 KB/,
    );
    expect((await cli(['persona', 'set', '--length', 'huge'], env)).stderr).toMatch(/--length/);
    expect((await cli(['persona', 'set'], env)).stderr).toMatch(/nothing to change/);
    expect((await cli(['persona', 'rollback', 'two'], env)).stderr).toMatch(/whole number/);
    expect((await cli(['persona', 'show', '--version', '1.5'], env)).stderr).toMatch(
      /whole number/,
    );
    expect((await cli(['persona', 'rollback', '9'], env)).stderr).toMatch(/no persona version 9/);

    const history = (await cli(['persona', 'history', '--json'], env)).json<{
      versions: { persona: { language: string; rules: { dont: string[] } } }[];
    }>()[0];
    expect(history?.versions).toHaveLength(1);
    expect(history?.versions[0]?.persona).toMatchObject({
      language: 'French',
      rules: { dont: ['No slang'] },
    });
  });
});
