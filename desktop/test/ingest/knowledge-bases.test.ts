import { afterEach, describe, expect, it } from 'vitest';
import {
  findKnowledgeBase,
  findOrCreateKnowledgeBase,
  getKnowledgeBase,
} from '../../src/core/knowledge/bases';
import { openWorkspace, type Workspace } from '../../src/core/workspace';
import { tempDir } from '../helpers/tmp';

let ws: Workspace | undefined;
afterEach(() => ws?.close());

describe('knowledge base look-ups', () => {
  it('says whether a missing knowledge base was looked up by name or by id', () => {
    ws = openWorkspace(tempDir());
    const db = ws.db;
    expect(() => findKnowledgeBase(db, 'Missing')).toThrow('no knowledge base named "Missing"');
    const id = '0193a8c4-0000-7000-8000-000000000000';
    expect(() => getKnowledgeBase(db, id)).toThrow(`no knowledge base with id "${id}"`);
    expect(() => getKnowledgeBase(db, id)).toThrow(
      expect.objectContaining({ code: 'kb_not_found' }),
    );
    const made = findOrCreateKnowledgeBase(db, 'Recipes');
    expect(getKnowledgeBase(db, made.id).name).toBe('Recipes');
  });
});
