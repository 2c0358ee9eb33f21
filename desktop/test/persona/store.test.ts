import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { personaForMessages, personaInstructions } from '../../src/core/persona/instructions';
import { ANSWER_TOKEN_CAP, PersonaError, parsePersona } from '../../src/core/persona/schema';
import {
  currentPersona,
  defaultPersona,
  getPersonaVersion,
  personaHistory,
  rollbackPersona,
  updatePersona,
} from '../../src/core/persona/store';
import { openWorkspace, type Workspace } from '../../src/core/workspace';
import { tempDir } from '../helpers/tmp';

let ws: Workspace;
let home: string;
beforeEach(() => {
  home = tempDir();
  ws = openWorkspace(home);
});
afterEach(() => ws.close());

describe('persona store', () => {
  it('starts from the default persona file, as version 0', () => {
    const current = currentPersona(ws.db);
    expect(current.version).toBe(0);
    expect(current.persona.name).toBe('Companion');
    expect(current.persona.refusal.length).toBeGreaterThan(10);
    expect(personaHistory(ws.db)).toEqual([]);
  });

  it('saves each change as a new version and keeps unchanged fields', () => {
    const v1 = updatePersona(ws.db, { name: 'Coach Mia' }, 'rename');
    const v2 = updatePersona(ws.db, { rules: { dont: ['No diets'] }, answerLength: 'short' });
    expect([v1.version, v2.version]).toEqual([1, 2]);
    expect(v2.persona.name).toBe('Coach Mia');
    expect(v2.persona.rules.do).toEqual(defaultPersona().rules.do);
    expect(v2.persona.rules.dont).toEqual(['No diets']);
    expect(personaHistory(ws.db).map((v) => [v.version, v.note])).toEqual([
      [2, ''],
      [1, 'rename'],
    ]);
  });

  it('rolls back by appending a copy of the older version, which can itself be undone', () => {
    updatePersona(ws.db, { name: 'One' });
    updatePersona(ws.db, { name: 'Two', refusal: 'Not in my notes.' });
    const back = rollbackPersona(ws.db, 1);
    expect(back.version).toBe(3);
    expect(currentPersona(ws.db).persona).toEqual(getPersonaVersion(ws.db, 1).persona);
    expect(back.note).toBe('rollback to version 1');
    rollbackPersona(ws.db, 2);
    expect(currentPersona(ws.db).persona.refusal).toBe('Not in my notes.');
    expect(rollbackPersona(ws.db, 0).persona).toEqual(defaultPersona());
    expect(personaHistory(ws.db)).toHaveLength(5);
  });

  it('survives reopening the workspace', () => {
    updatePersona(ws.db, { language: 'German' });
    ws.close();
    ws = openWorkspace(home);
    expect(currentPersona(ws.db)).toMatchObject({ version: 1, persona: { language: 'German' } });
  });

  it('rejects invalid, oversized or unknown fields without saving', () => {
    expect(() => updatePersona(ws.db, { name: '' })).toThrow(PersonaError);
    expect(() => updatePersona(ws.db, { refusal: 'x'.repeat(501) })).toThrow(/refusal/);
    expect(() => updatePersona(ws.db, { answerLength: 'endless' as unknown as 'short' })).toThrow(
      /answerLength/,
    );
    expect(() =>
      updatePersona(ws.db, { rules: { do: Array.from({ length: 21 }, () => 'be kind') } }),
    ).toThrow(/rules\.do/);
    expect(() => parsePersona({ ...defaultPersona(), extra: 1 })).toThrow(PersonaError);
    expect(() => rollbackPersona(ws.db, 42)).toThrow(/no persona version 42/);
    expect(personaHistory(ws.db)).toEqual([]);
  });

  it('refuses to load a hand-corrupted stored version', () => {
    ws.db
      .prepare("INSERT INTO persona_versions (id, hlc, data) VALUES ('x', '1', ?)")
      .run('{"name":1}');
    expect(() => currentPersona(ws.db)).toThrow(PersonaError);
  });
});

describe('persona use', () => {
  it('becomes system-prompt lines with voice, language, length and rules', () => {
    const text = personaInstructions({
      ...defaultPersona(),
      name: 'Sam',
      voice: 'Dry humour',
      language: 'Spanish',
      answerLength: 'short',
      rules: { do: ['Use examples'], dont: ['Swear'] },
    });
    expect(text).toContain('You are Sam');
    expect(text).toContain('Voice and tone: Dry humour');
    expect(text).toContain('Always answer in Spanish.');
    expect(text).toContain('one to three sentences');
    expect(text).toContain('Do: Use examples');
    expect(text).toContain("Don't: Swear");
  });

  it('is exported for program messages with its version', () => {
    updatePersona(ws.db, { name: 'Mia', greeting: 'Hello there!', answerLength: 'long' });
    const exported = personaForMessages(ws.db);
    expect(exported).toMatchObject({ version: 1, name: 'Mia', greeting: 'Hello there!' });
    expect(exported.instructions).toContain('You are Mia');
    expect(exported.maxTokens).toBe(ANSWER_TOKEN_CAP.long);
    expect(ANSWER_TOKEN_CAP.long).toBeGreaterThan(ANSWER_TOKEN_CAP.medium);
  });
});
