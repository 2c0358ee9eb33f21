-- Login/sign-up attempt counters shared by every server replica (rate-limiter-flexible's
-- PostgreSQL store layout). Keys are SHA-256 digests, never raw e-mail addresses or IPs.
CREATE TABLE login_attempts (
  key varchar(255) PRIMARY KEY,
  points integer NOT NULL DEFAULT 0,
  expire bigint
);
CREATE INDEX login_attempts_expire_idx ON login_attempts (expire);
