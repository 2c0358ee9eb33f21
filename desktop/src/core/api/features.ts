/**
 * Which parts of the core this build wires into the API. The UI reads them to explain, rather
 * than fail, when a feature is not there (e.g. publishing before the sync client exists).
 */
export const FEATURES = {
  ingest: true,
  search: true,
  chat: true,
  persona: true,
  programs: true,
  evals: true,
  publish: true,
} as const;
