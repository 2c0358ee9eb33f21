-- Embedding spaces: one per knowledge base and fingerprint (provider, model, dimensions).
-- Vectors of different fingerprints never share a table, so dimensions are never mixed.
-- A space is 'building' until every chunk it covered has a vector once; search uses the newest
-- 'ready' space of a knowledge base, so a model switch keeps the previous space serving until the new
-- one is complete. Each space's binary prefilter lives in its own vec0 table `vec_space_<id>`
-- (created by code, since its bit width is known only then), keyed by chunk id.
CREATE TABLE embedding_spaces (
  id INTEGER PRIMARY KEY,
  kb_id TEXT NOT NULL REFERENCES knowledge_bases (id) ON DELETE CASCADE,
  provider TEXT NOT NULL,
  model TEXT NOT NULL,
  dims INTEGER NOT NULL CHECK (dims > 0),
  status TEXT NOT NULL DEFAULT 'building' CHECK (status IN ('building', 'ready')),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  ready_at TEXT,
  UNIQUE (kb_id, provider, model, dims)
);

-- Exact float32 vectors (unit length, little-endian bytes) used to rescore prefilter candidates.
CREATE TABLE chunk_vectors (
  space_id INTEGER NOT NULL REFERENCES embedding_spaces (id) ON DELETE CASCADE,
  chunk_id INTEGER NOT NULL REFERENCES chunks (id) ON DELETE CASCADE,
  vector BLOB NOT NULL,
  PRIMARY KEY (space_id, chunk_id)
) WITHOUT ROWID;
CREATE INDEX chunk_vectors_by_chunk ON chunk_vectors (chunk_id);

-- A chunk whose text changes needs a new vector everywhere.
CREATE TRIGGER chunk_vectors_stale AFTER UPDATE OF text ON chunks BEGIN
  DELETE FROM chunk_vectors WHERE chunk_id = new.id;
END;
