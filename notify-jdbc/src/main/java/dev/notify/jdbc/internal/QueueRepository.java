package dev.notify.jdbc.internal;

import dev.notify.core.DeliveryLog;
import dev.notify.core.DeliveryStatus;
import dev.notify.core.EntryState;
import dev.notify.core.QueueEntry;
import dev.notify.core.spi.EntryUpdate;
import dev.notify.core.spi.NewEntry;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.Update;

/** The queue (outbox): enqueue with dedupe, claim, complete, and the queue queries. */
public final class QueueRepository {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(QueueRepository.class);
  /** Reason of the log written for an entry whose stored context cannot be read. */
  public static final String CORRUPT_CONTEXT = "corrupt_context";
  /** Reason of the log written for an entry with another stored column that cannot be read (an unknown delivery status). */
  public static final String CORRUPT_ROW = "corrupt_row";
  /** Reason of the logs written by {@link #cancelCampaignEntries}. */
  public static final String CAMPAIGN_CANCELLED = "campaign_cancelled";
  private static final String FINISHED_BEFORE = "created_at < :cutoff AND (updated_at IS NULL OR updated_at < :cutoff)"
      + " AND campaign_id IS NULL AND state IN ('SENT', 'FAILED', 'SKIPPED', 'CANCELLED')";

  private final Db db;
  private final Tables t;

  public QueueRepository(Db db) {
    this.db = db;
    this.t = db.t;
  }

  // ---- enqueue ----

  public List<QueueEntry> enqueue(List<NewEntry> entries, Instant now, Object transaction) {
    if (transaction != null) Db.hostConnection(transaction); // refuses an unknown type, also with no entries
    if (entries.isEmpty()) return List.of();
    long nowMicros = Times.micros(now);
    // Within one call only the first entry of a key counts; the others are dropped before the database.
    Map<String, Long> keys = new LinkedHashMap<>();
    List<NewEntry> candidates = new ArrayList<>(entries.size());
    for (NewEntry ne : entries) {
      String key = ne.entry().dedupeKey();
      if (key == null) {
        candidates.add(ne);
      } else if (!keys.containsKey(Keys.stored(key))) {
        keys.put(Keys.stored(key), Times.micros(ne.dedupeUntil()));
        candidates.add(ne);
      }
    }
    boolean atomic = !db.dialect.oneStatementWrites() && (candidates.size() > 1 || !keys.isEmpty());
    return Collections.unmodifiableList(db.run(transaction, atomic, c -> db.dialect.enqueue(c, candidates, keys, nowMicros)));
  }

  // ---- claim ----

  public List<QueueEntry> claimDue(Instant now, int limit, String owner, Instant leaseUntil) {
    long nowMicros = Times.micros(now);
    long until = Times.micros(leaseUntil);
    return claimed(db.run(null, db.dialect.claimNeedsTransaction(), c -> db.dialect.claim(c, nowMicros, limit, owner, until)), now);
  }

  /**
   * Applies {@code updates} and then claims: in one round trip where the dialect
   * {@link SqlDialect#completesAndClaimsAtOnce() can}, otherwise as two statements in one transaction.
   */
  public List<QueueEntry> completeAndClaim(List<EntryUpdate> updates, Instant now, int limit, String owner, Instant leaseUntil) {
    long nowMicros = Times.micros(now);
    long until = Times.micros(leaseUntil);
    if (db.dialect.completesAndClaimsAtOnce()) {
      return claimed(db.run(null, false, c -> db.dialect.completeAndClaim(c, updates, nowMicros, limit, owner, until)), now);
    }
    return claimed(db.run(null, true, c -> {
      db.dialect.complete(c, updates);
      return db.dialect.claim(c, nowMicros, limit, owner, until);
    }), now);
  }

  /** The claimed entries in claim order; those with a column that cannot be read are failed instead. */
  private List<QueueEntry> claimed(List<Rows.EntryRow> rows, Instant now) {
    List<Rows.EntryRow> corrupt = new ArrayList<>();
    for (Rows.EntryRow r : rows) if (r.corrupt()) corrupt.add(r);
    // Claimed (leased to us) and then failed: if this fails, the lease expires and the entry is claimed again, and
    // the readable entries, claimed by the committed claim, are returned all the same.
    if (!corrupt.isEmpty()) {
      try {
        db.inTransaction(h -> {
          failCorrupt(h, corrupt, now);
          return null;
        });
      } catch (RuntimeException e) {
        LOG.warn("could not fail {} claimed entries with an unreadable stored column; they are failed when claimed again"
            + " after their lease: {}", corrupt.size(), e.toString());
      }
    }
    List<QueueEntry> out = new ArrayList<>(rows.size());
    for (Rows.EntryRow r : rows) if (!r.corrupt()) out.add(r.entry());
    out.sort(SqlDialect.CLAIM_ORDER);
    return Collections.unmodifiableList(out);
  }

  /**
   * Fails entries with a stored column that cannot be read: FAILED, with a log each whose reason is
   * {@code corrupt_context} or {@code corrupt_row} and whose message (and the entry's last error) names the column.
   */
  private void failCorrupt(Handle h, List<Rows.EntryRow> corrupt, Instant now) {
    PreparedBatch update = h.prepareBatch("UPDATE " + t.queue + " SET state = 'FAILED', last_error = ?, updated_at = ?,"
        + " lease_owner = NULL, lease_expiry = NULL WHERE id = ?");
    List<DeliveryLog> logs = new ArrayList<>(corrupt.size());
    for (Rows.EntryRow r : corrupt) {
      update.bind(0, r.corruption()).bind(1, Times.micros(now)).bind(2, r.entry().id()).add();
      logs.add(log(r.entry(), EntryState.FAILED, r.reason(), r.corruption(), now));
    }
    update.execute();
    insertLogs(h, logs);
  }

  /** The dialect's log insert, in the handle's transaction. */
  private void insertLogs(Handle h, List<DeliveryLog> logs) {
    try {
      db.dialect.insertLogs(h.getConnection(), logs);
    } catch (SQLException e) {
      throw new Jdbc.Failure(e);
    }
  }

  static DeliveryLog log(QueueEntry e, EntryState state, String reason, String message, Instant now) {
    return new DeliveryLog(UUID.randomUUID().toString(), e.id(), e.ruleName(), e.campaignId(), e.recipient().phone(),
        e.recipient().name(), e.templateKey(), state, reason, message, e.provider(), e.externalId(), e.attempts(), 0,
        e.deliveryStatus(), now);
  }

  // ---- complete ----

  public List<String> complete(List<EntryUpdate> updates) {
    if (updates.isEmpty()) return List.of();
    return Collections.unmodifiableList(db.run(null, !db.dialect.oneStatementWrites(), c -> db.dialect.complete(c, updates)));
  }

  public int releaseLeases(String owner) {
    return db.jdbi.withHandle(h -> h.createUpdate("UPDATE " + t.queue + " SET state = 'PENDING', lease_owner = NULL,"
        + " lease_expiry = NULL WHERE state = 'PROCESSING' AND lease_expiry IS NOT NULL AND lease_owner = ?")
        .bind(0, owner).execute());
  }

  // ---- queries ----

  public Optional<QueueEntry> findEntry(String id) {
    return db.jdbi.withHandle(h -> h.createQuery("SELECT " + Rows.QUEUE_COLUMNS + " FROM " + t.queue + " WHERE id = ?")
        .bind(0, id).map((rs, ctx) -> Rows.entry(rs)).findOne());
  }

  public List<QueueEntry> entries(EntryState state, int limit) {
    // PENDING entries of a paused campaign are stored as PARKED
    String where = state == null ? ""
        : state == EntryState.PENDING ? " WHERE state IN (?, '" + Rows.PARKED + "')" : " WHERE state = ?";
    return db.jdbi.withHandle(h -> {
      Query q = h.createQuery("SELECT " + Rows.QUEUE_COLUMNS + " FROM " + t.queue + where + " ORDER BY created_at, id LIMIT ?");
      int i = 0;
      if (state != null) q.bind(i++, state.name());
      return q.bind(i, limit).map((rs, ctx) -> Rows.entry(rs)).list();
    });
  }

  public List<QueueEntry> campaignEntries(String campaignId, int limit) {
    return db.jdbi.withHandle(h -> h.createQuery("SELECT " + Rows.QUEUE_COLUMNS + " FROM " + t.queue
            + " WHERE campaign_id = ? ORDER BY created_at, id LIMIT ?")
        .bind(0, campaignId).bind(1, limit).map((rs, ctx) -> Rows.entry(rs)).list());
  }

  public Optional<QueueEntry> findByExternalId(String provider, String externalId) {
    return db.jdbi.withHandle(h -> h.createQuery("SELECT " + Rows.QUEUE_COLUMNS + " FROM " + t.queue
            + " WHERE external_id = ? AND provider = ? ORDER BY created_at, id")
        .bind(0, externalId).bind(1, provider).setMaxRows(1).map((rs, ctx) -> Rows.entry(rs)).findFirst());
  }

  public boolean updateDeliveryStatus(String provider, String externalId, DeliveryStatus status, Instant at, String error) {
    List<String> from = new ArrayList<>();
    for (DeliveryStatus s : DeliveryStatus.values()) if (s.canMoveTo(status)) from.add(s.name());
    if (from.isEmpty()) return false;
    return db.inTransaction(h -> {
      Update entry = h.createUpdate("UPDATE " + t.queue + " SET delivery_status = ?, updated_at = ?,"
          + " last_error = COALESCE(?, last_error) WHERE external_id = ? AND provider = ? AND delivery_status IN "
          + SqlDialect.in(from.size()))
          .bind(0, status.name()).bind(1, Times.micros(at)).bind(2, error).bind(3, externalId).bind(4, provider);
      bindAll(entry, 5, from);
      Update log = h.createUpdate("UPDATE " + t.log + " SET delivery_status = ? WHERE external_id = ? AND provider = ?"
          + " AND delivery_status IN " + SqlDialect.in(from.size())).bind(0, status.name()).bind(1, externalId)
          .bind(2, provider);
      bindAll(log, 3, from);
      int changed = entry.execute();
      changed += log.execute();
      return changed > 0;
    });
  }

  /** Its PENDING (or parked) entries, and PROCESSING ones whose lease expired (their node died sending them). */
  public int cancelCampaignEntries(String campaignId, Instant now) {
    String open = "(state IN ('PENDING', '" + Rows.PARKED + "') OR (state = 'PROCESSING' AND lease_expiry < ?))";
    long nowMicros = Times.micros(now);
    return db.inTransaction(h -> {
      List<QueueEntry> pending = h.createQuery("SELECT " + Rows.QUEUE_COLUMNS + " FROM " + t.queue
              + " WHERE campaign_id = ? AND " + open + " FOR UPDATE")
          .bind(0, campaignId).bind(1, nowMicros).map((rs, ctx) -> Rows.entry(rs)).list();
      if (pending.isEmpty()) return 0;
      PreparedBatch update = h.prepareBatch("UPDATE " + t.queue + " SET state = 'CANCELLED', updated_at = ?,"
          + " lease_owner = NULL, lease_expiry = NULL WHERE id = ? AND " + open);
      List<DeliveryLog> logs = new ArrayList<>(pending.size());
      for (QueueEntry e : pending) {
        update.bind(0, nowMicros).bind(1, e.id()).bind(2, nowMicros).add();
        logs.add(log(e, EntryState.CANCELLED, CAMPAIGN_CANCELLED, null, now));
      }
      update.execute();
      insertLogs(h, logs);
      return pending.size();
    });
  }

  /**
   * Deletes the finished entries of no campaign created and last updated before {@code cutoff}, oldest first
   * through queue_created_idx, in batches ({@link Db#deleteOldestInBatches}).
   */
  public int deleteFinishedBefore(Instant cutoff) {
    return db.deleteOldestInBatches(t.queue, t.prefix + "queue_created_idx", FINISHED_BEFORE, Times.micros(cutoff));
  }

  /** The statement of {@link #deleteFinishedBefore} for a batch of {@code limit} (named parameter {@code :cutoff}). */
  public static String deleteFinishedSql(SqlDialect dialect, Tables t, int limit) {
    return Db.deleteOldestSql(dialect, t.queue, t.prefix + "queue_created_idx", FINISHED_BEFORE, limit);
  }

  public Map<EntryState, Long> countByState(String campaignId) {
    String where = campaignId == null ? "" : " WHERE campaign_id = ?";
    return db.jdbi.withHandle(h -> {
      Query q = h.createQuery("SELECT state, COUNT(*) FROM " + t.queue + where + " GROUP BY state");
      if (campaignId != null) q.bind(0, campaignId);
      Map<EntryState, Long> out = new EnumMap<>(EntryState.class);
      q.map((rs, ctx) -> Map.entry(Rows.entryState(rs.getString(1)), rs.getLong(2)))
          .forEach(e -> out.merge(e.getKey(), e.getValue(), Long::sum));
      return Collections.unmodifiableMap(out);
    });
  }

  public long queueDepth(Instant now) {
    return db.jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + t.queue + " WHERE state = 'PENDING' AND scheduled_at <= ?")
        .bind(0, Times.micros(now)).mapTo(Long.class).one());
  }

  public Optional<Instant> oldestDue(Instant now) {
    return minScheduled(Times.micros(now));
  }

  public Optional<Instant> nextDue() {
    return minScheduled(null);
  }

  private Optional<Instant> minScheduled(Long bound) {
    return Optional.ofNullable(db.run(null, false, c -> db.dialect.minPendingScheduled(c, bound))).map(Times::instant);
  }

  // ---- helpers ----

  private static void bindAll(org.jdbi.v3.core.statement.SqlStatement<?> s, int from, List<String> values) {
    for (int i = 0; i < values.size(); i++) s.bind(from + i, values.get(i));
  }
}
