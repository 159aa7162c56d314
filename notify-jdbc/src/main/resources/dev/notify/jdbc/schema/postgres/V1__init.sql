-- notify schema version 1 for PostgreSQL 12+.
-- ${prefix} is the table prefix (default notify_); Flyway and Liquibase substitute ${prefix} as a placeholder.
-- Every *_at / *_expiry / *_tick / window_start column holds microseconds since 1970-01-01T00:00:00Z (UTC).

CREATE TABLE IF NOT EXISTS ${prefix}schema_version (
  version      INTEGER PRIMARY KEY,
  description  VARCHAR(200) NOT NULL,
  installed_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE IF NOT EXISTS ${prefix}triggers (
  code       TEXT PRIMARY KEY,
  definition TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS ${prefix}rules (
  name         TEXT PRIMARY KEY,
  trigger_code TEXT NOT NULL,
  definition   TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS ${prefix}queue (
  id                TEXT PRIMARY KEY,
  rule_name         TEXT,
  campaign_id       TEXT,
  phone             TEXT NOT NULL,
  recipient_id      TEXT,
  recipient_name    TEXT,
  subject_type      TEXT,
  subject_id        TEXT,
  template_key      TEXT NOT NULL,
  context           TEXT NOT NULL,
  scheduled_at      BIGINT NOT NULL,
  priority          INTEGER NOT NULL,
  state             VARCHAR(16) NOT NULL,
  delivery_status   VARCHAR(16) NOT NULL,
  attempts          INTEGER NOT NULL,
  max_retries       INTEGER NOT NULL,
  respect_blacklist BOOLEAN NOT NULL,
  last_error        TEXT,
  provider          TEXT,
  external_id       TEXT,
  lease_owner       TEXT,
  lease_expiry      BIGINT,
  dedupe_key        TEXT,
  created_at        BIGINT NOT NULL,
  updated_at        BIGINT
);
-- queue_claim_idx serves the claim (due PENDING rows in claim order), queue_due_idx the depth and next-due
-- queries. Both are partial on state = 'PENDING': claiming (PENDING -> PROCESSING) and completing (-> SENT ...)
-- then write no entry into either, so a notification costs 4 fewer index insertions (every update here changes
-- state, so none is a HOT update and each writes into every index whose predicate its new row matches). The
-- claim function below pins the plan that reads queue_claim_idx in order. queue_lease_idx serves the claim of
-- expired leases and the release of a node's leases (only PROCESSING rows hold a lease; the predicate is on
-- lease_expiry so that complete, which names the rows by id, reads the primary key instead of every leased row).
CREATE INDEX IF NOT EXISTS ${prefix}queue_claim_idx ON ${prefix}queue (priority DESC, scheduled_at, id) WHERE state = 'PENDING';
CREATE INDEX IF NOT EXISTS ${prefix}queue_due_idx ON ${prefix}queue (scheduled_at, priority) WHERE state = 'PENDING';
CREATE INDEX IF NOT EXISTS ${prefix}queue_lease_idx ON ${prefix}queue (lease_expiry) WHERE lease_expiry IS NOT NULL;
CREATE INDEX IF NOT EXISTS ${prefix}queue_external_idx ON ${prefix}queue (external_id) WHERE external_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS ${prefix}queue_campaign_idx ON ${prefix}queue (campaign_id, state) WHERE campaign_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS ${prefix}queue_created_idx ON ${prefix}queue (created_at, id);

-- The claim runs inside this function for its SET clauses: they make the plan read queue_claim_idx in claim
-- order and stop at the limit, whatever the statistics say. Without them a queue table whose statistics saw few
-- PENDING rows (a new table, or a quiet one before a burst) gets a bitmap scan that reads and sorts every
-- PENDING row, and every dead index entry, on each claim: a claim then costs O(queue depth), measured at
-- 70 ms for 100 entries out of 25,000. jit is off because enable_sort = off adds a disable cost to the one
-- sort left (at most 2 x p_limit rows), and that cost would start JIT compilation (about 0.5 s) on every call.
-- Expired leases are read in lease order (queue_lease_idx); both selections lock with SKIP LOCKED, and the best
-- p_limit of them are leased to p_owner until p_lease_until.
CREATE OR REPLACE FUNCTION ${prefix}claim(p_now BIGINT, p_limit INTEGER, p_owner TEXT, p_lease_until BIGINT)
RETURNS SETOF ${prefix}queue
LANGUAGE plpgsql
SET enable_bitmapscan = off
SET enable_seqscan = off
SET enable_sort = off
SET jit = off
AS $$
DECLARE
  v_ids TEXT[] := '{}';
  v_below BIGINT := 2147483648; -- above every INTEGER priority
  v_priority INTEGER;
BEGIN
  -- Due PENDING rows one priority at a time, highest first: with the priority fixed, the range of
  -- queue_claim_idx ends at scheduled_at <= p_now. Read as one range, the index holds each priority's entries
  -- scheduled later between its due rows and the next priority's, so a claim finding fewer than p_limit due
  -- rows read every deferred entry (quiet hours, retries) on every claim: 9 ms for 100,000 of them.
  LOOP
    SELECT q.priority INTO v_priority FROM ${prefix}queue q
    WHERE q.state = 'PENDING' AND q.priority < v_below ORDER BY q.priority DESC LIMIT 1;
    EXIT WHEN NOT FOUND;
    v_ids := v_ids || ARRAY(
      SELECT q.id FROM ${prefix}queue q
      WHERE q.state = 'PENDING' AND q.priority = v_priority AND q.scheduled_at <= p_now
        AND (q.campaign_id IS NULL OR q.campaign_id NOT IN (SELECT c.id FROM ${prefix}campaigns c WHERE c.state IN ('PAUSED', 'CANCELLED')))
      ORDER BY q.scheduled_at, q.id LIMIT p_limit - cardinality(v_ids) FOR UPDATE SKIP LOCKED);
    EXIT WHEN cardinality(v_ids) >= p_limit;
    v_below := v_priority;
  END LOOP;
  RETURN QUERY
  WITH pending AS (
    SELECT q.id, q.priority, q.scheduled_at FROM ${prefix}queue q WHERE q.id = ANY (v_ids)),
  expired AS (
    SELECT q.id, q.priority, q.scheduled_at FROM ${prefix}queue q
    WHERE q.lease_expiry < p_now AND q.state = 'PROCESSING'
      AND (q.campaign_id IS NULL OR q.campaign_id NOT IN (SELECT c.id FROM ${prefix}campaigns c WHERE c.state IN ('PAUSED', 'CANCELLED')))
    ORDER BY q.lease_expiry LIMIT p_limit FOR UPDATE SKIP LOCKED),
  chosen AS (
    SELECT c.id FROM (SELECT * FROM pending UNION ALL SELECT * FROM expired) c
    ORDER BY c.priority DESC, c.scheduled_at, c.id LIMIT p_limit)
  UPDATE ${prefix}queue u SET state = 'PROCESSING', lease_owner = p_owner, lease_expiry = p_lease_until,
    updated_at = p_now
  WHERE u.id IN (SELECT chosen.id FROM chosen)
  RETURNING u.*;
END
$$;

CREATE TABLE IF NOT EXISTS ${prefix}delivery_log (
  id                TEXT PRIMARY KEY,
  entry_id          TEXT,
  rule_name         TEXT,
  campaign_id       TEXT,
  phone             TEXT,
  recipient_name    TEXT,
  template_key      TEXT,
  state             VARCHAR(16) NOT NULL,
  reason            TEXT,
  message           TEXT,
  provider          TEXT,
  external_id       TEXT,
  attempts          INTEGER NOT NULL,
  processing_millis BIGINT NOT NULL,
  delivery_status   VARCHAR(16) NOT NULL,
  created_at        BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS ${prefix}log_created_idx ON ${prefix}delivery_log (created_at, id);
CREATE INDEX IF NOT EXISTS ${prefix}log_external_idx ON ${prefix}delivery_log (external_id) WHERE external_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS ${prefix}log_campaign_idx ON ${prefix}delivery_log (campaign_id, created_at) WHERE campaign_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS ${prefix}log_rule_idx ON ${prefix}delivery_log (rule_name, created_at) WHERE rule_name IS NOT NULL;

CREATE TABLE IF NOT EXISTS ${prefix}blacklist (
  phone           TEXT PRIMARY KEY,
  partner_id      TEXT,
  reason          TEXT,
  active          BOOLEAN NOT NULL,
  blocked_count   BIGINT NOT NULL,
  last_blocked_at BIGINT,
  created_at      BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS ${prefix}dedupe_keys (
  dedupe_key VARCHAR(255) PRIMARY KEY,
  expires_at BIGINT NOT NULL
);
-- No index on expires_at: only the daily cleanup reads it (one sequential scan), while an index would take an
-- entry on every insert, all at the same hot right edge for a campaign's keys (which share one expiry).

CREATE TABLE IF NOT EXISTS ${prefix}rate_counters (
  rate_key     VARCHAR(255) NOT NULL,
  window_start BIGINT NOT NULL,
  permits      INTEGER NOT NULL,
  PRIMARY KEY (rate_key, window_start)
);

CREATE TABLE IF NOT EXISTS ${prefix}campaigns (
  id                      TEXT PRIMARY KEY,
  name                    TEXT NOT NULL,
  description             TEXT,
  rule_name               TEXT,
  template_key            TEXT,
  target_source           TEXT NOT NULL,
  target_params           TEXT NOT NULL,
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
  job         TEXT PRIMARY KEY,
  last_tick   BIGINT NOT NULL,
  owner       TEXT NOT NULL,
  claimed_at  BIGINT NOT NULL,
  lease_until BIGINT NOT NULL,
  finished_at BIGINT
);

CREATE TABLE IF NOT EXISTS ${prefix}job_state (
  job               TEXT PRIMARY KEY,
  enabled           BOOLEAN NOT NULL,
  last_node         TEXT,
  last_started_at   BIGINT,
  last_duration_ms  BIGINT,
  last_error        TEXT
);

CREATE TABLE IF NOT EXISTS ${prefix}job_runs (
  id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  job         TEXT NOT NULL,
  node        TEXT,
  started_at  BIGINT NOT NULL,
  duration_ms BIGINT NOT NULL,
  error       TEXT
);
CREATE INDEX IF NOT EXISTS ${prefix}job_runs_job_idx ON ${prefix}job_runs (job, started_at);

INSERT INTO ${prefix}schema_version (version, description) VALUES (1, 'init');
