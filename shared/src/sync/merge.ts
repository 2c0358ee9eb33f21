import { compareVersions } from './hlc';

/** Who wrote a row version, and when by its device's hybrid logical clock. */
export interface Version {
  hlc: string;
  device: string;
}

export type MergeOutcome =
  /** The incoming edit becomes current; `loser` is the concurrent version it replaced, if any. */
  | { kind: 'apply'; loser?: Version }
  /** A concurrent edit that lost: the current version stays, the incoming one is kept as a conflict. */
  | { kind: 'keep' }
  /** The very same version again (a replay): nothing to do. */
  | { kind: 'same' };

/**
 * Last-writer-wins by (HLC, device) for editable rows. An edit made on top of the current version
 * (its base is the current HLC) simply applies; otherwise the edits were concurrent and the larger
 * (HLC, device) wins, while the other is returned so that it can be kept, never silently dropped.
 */
export function mergeLww(
  current: Version | undefined,
  incoming: Version & { base: string | null },
): MergeOutcome {
  if (!current) return { kind: 'apply' };
  if (compareVersions(current, incoming) === 0) return { kind: 'same' };
  if (incoming.base === current.hlc) return { kind: 'apply' };
  return compareVersions(incoming, current) > 0
    ? { kind: 'apply', loser: current }
    : { kind: 'keep' };
}
