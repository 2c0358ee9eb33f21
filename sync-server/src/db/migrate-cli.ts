import { migrate } from './migrate';

/** `npm run migrate -w sync-server`: migrates DATABASE_URL, as MIGRATION_DATABASE_URL's role when set. */
async function main(): Promise<void> {
  const appUrl = process.env.DATABASE_URL;
  if (!appUrl) throw new Error('DATABASE_URL is required');
  const migratorUrl = process.env.MIGRATION_DATABASE_URL ?? appUrl;
  const ran = await migrate({ migratorUrl, appUrl, log: (m) => console.log(m) });
  console.log(ran.length ? `migrated: ${ran.join(', ')}` : 'database already current');
}

main().catch((error: unknown) => {
  console.error(`migrate failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
