-- notify schema version 1 for MariaDB 10.6+ and MySQL 8.
-- ${prefix} is the table prefix (default notify_); Flyway and Liquibase substitute ${prefix} as a placeholder.
-- Every *_at / *_expiry / *_tick / window_start column holds microseconds since 1970-01-01T00:00:00Z (UTC).
-- Binary collation: codes, keys and phones compare exactly, as on H2 and PostgreSQL.
-- Indexes are declared inside CREATE TABLE because MySQL 8 has no CREATE INDEX IF NOT EXISTS.

CREATE TABLE IF NOT EXISTS ${prefix}schema_version (
  version      INTEGER PRIMARY KEY,
  description  VARCHAR(200) NOT NULL,
  installed_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS ${prefix}triggers (
  code       VARCHAR(255) PRIMARY KEY,
  definition MEDIUMTEXT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS ${prefix}rules (
  name         VARCHAR(255) PRIMARY KEY,
  trigger_code VARCHAR(255) NOT NULL,
  definition   MEDIUMTEXT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- priority_rank = -priority: MariaDB 10.6 has no descending indexes, so the claim query orders by
-- (priority_rank, scheduled_at, id) ascending and reads queue_claim_idx in order.
CREATE TABLE IF NOT EXISTS ${prefix}queue (
  id                VARCHAR(255) PRIMARY KEY,
  rule_name         VARCHAR(255),
  campaign_id       VARCHAR(255),
  phone             VARCHAR(255) NOT NULL,
  recipient_id      TEXT,
  recipient_name    TEXT,
  subject_type      TEXT,
  subject_id        TEXT,
  template_key      VARCHAR(255) NOT NULL,
  context           MEDIUMTEXT NOT NULL,
  scheduled_at      BIGINT NOT NULL,
  priority          INTEGER NOT NULL,
  priority_rank     INTEGER GENERATED ALWAYS AS (-priority) STORED,
  state             VARCHAR(16) NOT NULL,
  delivery_status   VARCHAR(16) NOT NULL,
  attempts          INTEGER NOT NULL,
  max_retries       INTEGER NOT NULL,
  respect_blacklist BOOLEAN NOT NULL,
  last_error        TEXT,
  provider          VARCHAR(255),
  external_id       VARCHAR(255),
  lease_owner       VARCHAR(255),
  lease_expiry      BIGINT,
  dedupe_key        TEXT,
  created_at        BIGINT NOT NULL,
  updated_at        BIGINT,
  INDEX ${prefix}queue_claim_idx (state, priority_rank, scheduled_at, id),
  INDEX ${prefix}queue_due_idx (state, scheduled_at, priority),
  INDEX ${prefix}queue_lease_idx (state, lease_expiry),
  INDEX ${prefix}queue_external_idx (external_id),
  INDEX ${prefix}queue_campaign_idx (campaign_id, state),
  INDEX ${prefix}queue_created_idx (created_at, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS ${prefix}delivery_log (
  id                VARCHAR(255) PRIMARY KEY,
  entry_id          VARCHAR(255),
  rule_name         VARCHAR(255),
  campaign_id       VARCHAR(255),
  phone             VARCHAR(255),
  recipient_name    TEXT,
  template_key      VARCHAR(255),
  state             VARCHAR(16) NOT NULL,
  reason            TEXT,
  message           MEDIUMTEXT,
  provider          VARCHAR(255),
  external_id       VARCHAR(255),
  attempts          INTEGER NOT NULL,
  processing_millis BIGINT NOT NULL,
  delivery_status   VARCHAR(16) NOT NULL,
  created_at        BIGINT NOT NULL,
  INDEX ${prefix}log_created_idx (created_at, id),
  INDEX ${prefix}log_external_idx (external_id),
  INDEX ${prefix}log_campaign_idx (campaign_id, created_at),
  INDEX ${prefix}log_rule_idx (rule_name, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS ${prefix}blacklist (
  phone           VARCHAR(255) PRIMARY KEY,
  partner_id      TEXT,
  reason          TEXT,
  active          BOOLEAN NOT NULL,
  blocked_count   BIGINT NOT NULL,
  last_blocked_at BIGINT,
  created_at      BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- claim_token marks the keys one enqueue call took (the driver may not report per-row batch counts).
CREATE TABLE IF NOT EXISTS ${prefix}dedupe_keys (
  dedupe_key  VARCHAR(255) PRIMARY KEY,
  expires_at  BIGINT NOT NULL,
  claim_token VARCHAR(64),
  INDEX ${prefix}dedupe_expires_idx (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS ${prefix}rate_counters (
  rate_key     VARCHAR(255) NOT NULL,
  window_start BIGINT NOT NULL,
  permits      INTEGER NOT NULL,
  PRIMARY KEY (rate_key, window_start)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS ${prefix}campaigns (
  id                      VARCHAR(255) PRIMARY KEY,
  name                    TEXT NOT NULL,
  description             TEXT,
  rule_name               TEXT,
  template_key            TEXT,
  target_source           TEXT NOT NULL,
  target_params           MEDIUMTEXT NOT NULL,
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
  updated_at              BIGINT,
  INDEX ${prefix}campaigns_state_idx (state)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The last claimed tick of each job and the node (owner) running it. The claim is leased until lease_until and
-- renewed while the run goes on; finished_at is set when the run ends. A tick left unfinished (its node died)
-- can be claimed again once its lease has ended.
CREATE TABLE IF NOT EXISTS ${prefix}job_ticks (
  job         VARCHAR(255) PRIMARY KEY,
  last_tick   BIGINT NOT NULL,
  owner       TEXT NOT NULL,
  claimed_at  BIGINT NOT NULL,
  lease_until BIGINT NOT NULL,
  finished_at BIGINT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS ${prefix}job_state (
  job              VARCHAR(255) PRIMARY KEY,
  enabled          BOOLEAN NOT NULL,
  last_node        TEXT,
  last_started_at  BIGINT,
  last_duration_ms BIGINT,
  last_error       TEXT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS ${prefix}job_runs (
  id          BIGINT AUTO_INCREMENT PRIMARY KEY,
  job         VARCHAR(255) NOT NULL,
  node        TEXT,
  started_at  BIGINT NOT NULL,
  duration_ms BIGINT NOT NULL,
  error       TEXT,
  INDEX ${prefix}job_runs_job_idx (job, started_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

INSERT INTO ${prefix}schema_version (version, description) VALUES (1, 'init');
