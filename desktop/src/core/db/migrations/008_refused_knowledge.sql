-- Knowledge rows another desktop sent that were refused here before two Default knowledge bases
-- merged (issue #6): the other desktop's Default, the documents and chunks under it, its eval cases
-- and runs, kept as apply_failed conflicts. Sync now takes such rows in (core/sync/default-kb.ts),
-- so they are marked for one more try: the next pull applies each from its conflict record, oldest
-- first, unless a newer version of the row is here already (core/sync/apply.ts, retryRefused). A
-- row refused again stays an open conflict. A chunk taken in this way has no vector yet (the
-- record does not hold it): the local embedder makes one.
UPDATE sync_conflicts SET resolution = 'retry'
WHERE kind = 'apply_failed' AND resolved_at IS NULL
  AND table_name IN ('knowledge_bases', 'documents', 'chunks', 'eval_cases', 'eval_runs', 'eval_results');
