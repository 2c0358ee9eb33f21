export const SCREENS = [
  { id: 'knowledge', label: 'Knowledge', icon: '▤' },
  { id: 'playground', label: 'Playground', icon: '◎' },
  { id: 'persona', label: 'Persona', icon: '☺' },
  { id: 'programs', label: 'Programs', icon: '☰' },
  { id: 'evaluation', label: 'Evaluation', icon: '✓' },
  { id: 'publish', label: 'Publish', icon: '⇪' },
  { id: 'settings', label: 'Settings', icon: '⚙' },
] as const;

export type ScreenId = (typeof SCREENS)[number]['id'];
