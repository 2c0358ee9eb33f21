import { z } from 'zod';
import { empty, id, method, ok, opId } from './define';

export const themeSchema = z.enum(['system', 'light', 'dark']);

export const settingsSchema = z.object({
  ollamaHost: z.url({ protocol: /^https?$/ }).max(500),
  chatModel: z.string().max(200),
  embedModel: z.string().max(200),
  theme: themeSchema,
});

export const ollamaStatusSchema = z.object({
  host: z.string(),
  reachable: z.boolean(),
  version: z.string().nullable(),
  error: z.string().nullable(),
});

export const appInfoSchema = z.object({
  version: z.string(),
  home: z.string(),
  firstRun: z.boolean(),
  ollama: ollamaStatusSchema,
  /** Which core features are present in this build (features land one by one). */
  features: z.record(z.string(), z.boolean()),
});

export const modelSchema = z.object({
  name: z.string(),
  size: z.number(),
  kind: z.enum(['embedding', 'chat']),
});

export const settingsMethods = {
  'app.info': method(empty, appInfoSchema),
  'app.finishOnboarding': method(empty, ok),
  'settings.get': method(empty, settingsSchema),
  'settings.update': method(settingsSchema.partial(), settingsSchema),
  'models.list': method(
    empty,
    z.object({
      reachable: z.boolean(),
      error: z.string().nullable(),
      models: z.array(modelSchema),
    }),
  ),
  'models.pull': method(z.object({ opId, name: z.string().trim().min(1).max(200) }), ok),
  /** Opens an https link in the user's browser; Electron asks for confirmation first. */
  'app.openExternal': method(
    z.object({ url: z.url({ protocol: /^https$/ }).max(2000) }),
    z.object({ opened: z.boolean() }),
  ),
  'embed.run': method(z.object({ opId, kbId: id }), z.object({ embedded: z.number().int() })),
} as const;

export type Settings = z.infer<typeof settingsSchema>;
export type Theme = z.infer<typeof themeSchema>;
export type AppInfo = z.infer<typeof appInfoSchema>;
export type ModelInfo = z.infer<typeof modelSchema>;
