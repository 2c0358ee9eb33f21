import type { Clock } from '../clock';
import type { Config } from '../config';
import type { Db } from '../db/db';
import type { Logger } from '../logger';

/** What createApp needs from the outside world; tests pass real pieces. */
export interface AppDeps {
  db: Db;
  clock: Clock;
  config: Config;
  logger: Logger;
}
