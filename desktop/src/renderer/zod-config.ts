import { z } from 'zod';

// zod compiles fast parsers with `new Function` unless told not to, and the CSP forbids eval. This
// module is imported first by main.tsx, so the setting is in place before any schema is built.
z.config({ jitless: true });
