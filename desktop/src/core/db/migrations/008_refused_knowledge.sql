-- Knowledge rows another desktop sent that were refused here before two Default knowledge bases
-- merged (issue #6): the other desktop's Default, the documents and chunks under it, its eval cases
-- and runs, kept as apply_failed conflicts. Sync now takes them in (core/sync/default-kb.ts), so
-- the content stream is read once more from its start: every refused row comes round again, in
-- the order it was written and with its vectors, and later versions follow it. A row refused again
-- becomes a conflict again. Only workspaces holding such conflicts read the stream again.
DELETE FROM sync_cursors
WHERE stream = 'content'
  AND EXISTS (
    SELECT 1 FROM sync_conflicts
    WHERE kind = 'apply_failed' AND resolved_at IS NULL
      AND table_name IN ('knowledge_bases', 'documents', 'chunks', 'eval_cases', 'eval_runs', 'eval_results')
  );

DELETE FROM sync_conflicts
WHERE kind = 'apply_failed' AND resolved_at IS NULL
  AND table_name IN ('knowledge_bases', 'documents', 'chunks', 'eval_cases', 'eval_runs', 'eval_results');
