import { useCallback, useEffect, useRef, useState } from 'react';
import { useClient } from '../../api/context';

const UNDO_MS = 6000;

/**
 * Removal with undo: the document disappears from the list at once, and is removed for real only
 * when the undo window has passed (or the screen closes). Undo simply cancels the pending removal.
 */
export function useUndoableRemove(onRemoved: () => void) {
  const client = useClient();
  const [pending, setPending] = useState<{ id: string; title: string } | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const pendingRef = useRef(pending);
  pendingRef.current = pending;
  const onRemovedRef = useRef(onRemoved);
  onRemovedRef.current = onRemoved;

  const commit = useCallback(async () => {
    const p = pendingRef.current;
    clearTimeout(timer.current);
    if (!p) return;
    setPending(null);
    await client.send('documents.remove', { documentId: p.id }).catch(() => undefined);
    onRemovedRef.current();
  }, [client]);

  const remove = (id: string, title: string) => {
    void commit().then(() => {
      setPending({ id, title });
      timer.current = setTimeout(() => void commit(), UNDO_MS);
    });
  };
  const undo = () => {
    clearTimeout(timer.current);
    setPending(null);
  };
  useEffect(() => () => void commit(), [commit]);
  return { pending, remove, undo };
}
