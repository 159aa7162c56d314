-- notify schema version 1 for H2 2.x.
-- ${prefix} is the table prefix (default notify_); Flyway and Liquibase substitute ${prefix} as a placeholder.
-- Every *_at / *_expiry / *_tick / window_start column holds microseconds since 1970-01-01T00:00:00Z (UTC).

CREATE TABLE IF NOT EXISTS ${prefix}schema_version (
  version      INTEGER PRIMARY KEY,
  description  VARCHAR(200) NOT NULL,
  installed_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE IF NOT EXISTS ${prefix}triggers (
  code       VARCHAR PRIMARY KEY,
  definition VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS ${prefix}rules (
  name         VARCHAR PRIMARY KEY,
  trigger_code VARCHAR NOT NULL,
  definition   VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS ${prefix}queue (
  id                VARCHAR PRIMARY KEY,
  rule_name         VARCHAR,
  campaign_id       VARCHAR,
  phone             VARCHAR NOT NULL,
  recipient_id      VARCHAR,
  recipient_name    VARCHAR,
  subject_type      VARCHAR,
  subject_id        VARCHAR,
  template_key      VARCHAR NOT NULL,
  context           VARCHAR NOT NULL,
  scheduled_at      BIGINT NOT NULL,
  priority          INTEGER NOT NULL,
  state             VARCHAR(16) NOT NULL,
  delivery_status   VARCHAR(16) NOT NULL,
  attempts          INTEGER NOT NULL,
  max_retries       INTEGER NOT NULL,
  respect_blacklist BOOLEAN NOT NULL,
  last_error        VARCHAR,
  provider          VARCHAR,
  external_id       VARCHAR,
  lease_owner       VARCHAR,
  lease_expiry      BIGINT,
  dedupe_key        VARCHAR,
  created_at        BIGINT NOT NULL,
  updated_at        BIGINT
);
-- queue_claim_idx serves the claim (due PENDING rows in claim order), expired leases (the few PROCESSING rows) and the
-- depth and due queries (a range of its PENDING rows). H2 rewrites every index whose columns a row change touches, and
-- each costs CPU on insert, commit and checkpoint, so H2 has no separate due and lease indexes (PostgreSQL and
-- MariaDB do).
CREATE INDEX IF NOT EXISTS ${prefix}queue_claim_idx ON ${prefix}queue (state, priority DESC, scheduled_at, id);
CREATE INDEX IF NOT EXISTS ${prefix}queue_external_idx ON ${prefix}queue (external_id);
CREATE INDEX IF NOT EXISTS ${prefix}queue_campaign_idx ON ${prefix}queue (campaign_id, state);
CREATE INDEX IF NOT EXISTS ${prefix}queue_created_idx ON ${prefix}queue (created_at, id);

CREATE TABLE IF NOT EXISTS ${prefix}delivery_log (
  id                VARCHAR PRIMARY KEY,
  entry_id          VARCHAR,
  rule_name         VARCHAR,
  campaign_id       VARCHAR,
  phone             VARCHAR,
  recipient_name    VARCHAR,
  template_key      VARCHAR,
  state             VARCHAR(16) NOT NULL,
  reason            VARCHAR,
  message           VARCHAR,
  provider          VARCHAR,
  external_id       VARCHAR,
  attempts          INTEGER NOT NULL,
  processing_millis BIGINT NOT NULL,
  delivery_status   VARCHAR(16) NOT NULL,
  created_at        BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS ${prefix}log_created_idx ON ${prefix}delivery_log (created_at, id);
CREATE INDEX IF NOT EXISTS ${prefix}log_external_idx ON ${prefix}delivery_log (external_id);
CREATE INDEX IF NOT EXISTS ${prefix}log_campaign_idx ON ${prefix}delivery_log (campaign_id, created_at);
CREATE INDEX IF NOT EXISTS ${prefix}log_rule_idx ON ${prefix}delivery_log (rule_name, created_at);

CREATE TABLE IF NOT EXISTS ${prefix}blacklist (
  phone           VARCHAR PRIMARY KEY,
  partner_id      VARCHAR,
  reason          VARCHAR,
  active          BOOLEAN NOT NULL,
  blocked_count   BIGINT NOT NULL,
  last_blocked_at BIGINT,
  created_at      BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS ${prefix}dedupe_keys (
  dedupe_key VARCHAR(255) PRIMARY KEY,
  expires_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS ${prefix}dedupe_expires_idx ON ${prefix}dedupe_keys (expires_at);

CREATE TABLE IF NOT EXISTS ${prefix}rate_counters (
  rate_key     VARCHAR(255) NOT NULL,
  window_start BIGINT NOT NULL,
  permits      INTEGER NOT NULL,
  PRIMARY KEY (rate_key, window_start)
);

CREATE TABLE IF NOT EXISTS ${prefix}campaigns (
  id                      VARCHAR PRIMARY KEY,
  name                    VARCHAR NOT NULL,
  description             VARCHAR,
  rule_name               VARCHAR,
  template_key            VARCHAR,
  target_source           VARCHAR NOT NULL,
  target_params           VARCHAR NOT NULL,
  scheduled_at            BIGINT,
  batch_size              INTEGER NOT NULL,
  batch_interval          VARCHAR(64) NOT NULL,
  skip_in_address_book    BOOLEAN,
  state                   VARCHAR(16) NOT NULL,
  cursor_pos              BIGINT NOT NULL,
  exhausted               BOOLEAN NOT NULL,
  targets                 BIGINT NOT NULL,
  skipped_in_address_book BIGINT NOT NULL,
  duplicates              BIGINT NOT NULL,
  next_batch_at           BIGINT,
  created_at              BIGINT NOT NULL,
  updated_at              BIGINT
);
CREATE INDEX IF NOT EXISTS ${prefix}campaigns_state_idx ON ${prefix}campaigns (state);

-- The last claimed tick of each job and the node (owner) running it. The claim is leased until lease_until and
-- renewed while the run goes on; finished_at is set when the run ends. A tick left unfinished (its node died)
-- can be claimed again once its lease has ended.
CREATE TABLE IF NOT EXISTS ${prefix}job_ticks (
  job         VARCHAR PRIMARY KEY,
  last_tick   BIGINT NOT NULL,
  owner       VARCHAR NOT NULL,
  claimed_at  BIGINT NOT NULL,
  lease_until BIGINT NOT NULL,
  finished_at BIGINT
);

CREATE TABLE IF NOT EXISTS ${prefix}job_state (
  job               VARCHAR PRIMARY KEY,
  enabled           BOOLEAN NOT NULL,
  last_node         VARCHAR,
  last_started_at   BIGINT,
  last_duration_ms  BIGINT,
  last_error        VARCHAR
);

CREATE TABLE IF NOT EXISTS ${prefix}job_runs (
  id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  job         VARCHAR NOT NULL,
  node        VARCHAR,
  started_at  BIGINT NOT NULL,
  duration_ms BIGINT NOT NULL,
  error       VARCHAR
);
CREATE INDEX IF NOT EXISTS ${prefix}job_runs_job_idx ON ${prefix}job_runs (job, started_at);

INSERT INTO ${prefix}schema_version (version, description) VALUES (1, 'init');
