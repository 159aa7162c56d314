package dev.notify.jdbc.internal;

import static java.sql.Types.BIGINT;
import static java.sql.Types.BOOLEAN;
import static java.sql.Types.INTEGER;
import static java.sql.Types.VARCHAR;

import dev.notify.core.BlacklistEntry;
import dev.notify.core.Campaign;
import dev.notify.core.CampaignState;
import dev.notify.core.DeliveryLog;
import dev.notify.core.DeliveryStatus;
import dev.notify.core.EntryState;
import dev.notify.core.JobRun;
import dev.notify.core.JobState;
import dev.notify.core.QueueEntry;
import dev.notify.core.Recipient;
import dev.notify.core.StoreException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jdbi.v3.core.statement.SqlStatement;

/** Column lists, binders and row readers for the stored values. */
public final class Rows {
  /**
   * The stored state of a PENDING entry of a paused campaign ("parked"): outside the claim and due ranges of the
   * queue indexes, so claims do not read past such entries. Read back as {@link EntryState#PENDING}.
   */
  public static final String PARKED = "PARKED";

  /** The entry state a stored state stands for ({@link #PARKED} is PENDING). */
  static EntryState entryState(String stored) {
    return PARKED.equals(stored) ? EntryState.PENDING : EntryState.valueOf(stored);
  }

  private Rows() {}

  public static final String QUEUE_COLUMNS = "id, rule_name, campaign_id, phone, recipient_id, recipient_name, subject_type, "
      + "subject_id, template_key, context, scheduled_at, priority, state, delivery_status, attempts, max_retries, "
      + "respect_blacklist, last_error, provider, external_id, lease_owner, lease_expiry, dedupe_key, created_at, updated_at";
  public static final int QUEUE_COLUMN_COUNT = 25;

  public static final String LOG_COLUMNS = "id, entry_id, rule_name, campaign_id, phone, recipient_name, template_key, state, "
      + "reason, message, provider, external_id, attempts, processing_millis, delivery_status, created_at";
  public static final int LOG_COLUMN_COUNT = 16;

  /**
   * A queue row as read. When a column cannot be read (a context that is not a JSON object of strings, a delivery
   * status this version does not know), the entry holds a stand-in for it (an empty context, {@code NONE}), and
   * {@code reason} (the log reason, {@link QueueRepository#CORRUPT_CONTEXT} or {@link QueueRepository#CORRUPT_ROW})
   * and {@code corruption} (the error, naming the column) say why the entry cannot be sent.
   */
  public record EntryRow(QueueEntry entry, String reason, String corruption) {
    public boolean corrupt() { return corruption != null; }

    /** This row's verdict on {@code e}, the same entry as claimed. */
    EntryRow with(QueueEntry e) { return new EntryRow(e, reason, corruption); }
  }

  /** java.sql.Types of the {@link #QUEUE_COLUMNS}, in order. */
  static final int[] QUEUE_SQL_TYPES = {VARCHAR, VARCHAR, VARCHAR, VARCHAR, VARCHAR, VARCHAR, VARCHAR, VARCHAR, VARCHAR,
      VARCHAR, BIGINT, INTEGER, VARCHAR, VARCHAR, INTEGER, INTEGER, BOOLEAN, VARCHAR, VARCHAR, VARCHAR, VARCHAR, BIGINT,
      VARCHAR, BIGINT, BIGINT};

  /** java.sql.Types of the {@link #LOG_COLUMNS}, in order. */
  static final int[] LOG_SQL_TYPES = {VARCHAR, VARCHAR, VARCHAR, VARCHAR, VARCHAR, VARCHAR, VARCHAR, VARCHAR, VARCHAR,
      VARCHAR, VARCHAR, VARCHAR, INTEGER, BIGINT, VARCHAR, BIGINT};

  /** Writes the stored values of {@code e} into {@code out[0..24]}, in {@link #QUEUE_COLUMNS} order (nulls as null). */
  static void entryValues(QueueEntry e, Object[] out) {
    Recipient r = e.recipient();
    out[0] = e.id();
    out[1] = e.ruleName();
    out[2] = e.campaignId();
    out[3] = r.phone();
    out[4] = r.id();
    out[5] = r.name();
    out[6] = e.subjectType();
    out[7] = e.subjectId();
    out[8] = e.templateKey();
    out[9] = JsonCodec.map(e.context());
    out[10] = Times.micros(e.scheduledAt());
    out[11] = e.priority();
    out[12] = e.state().name();
    out[13] = e.deliveryStatus().name();
    out[14] = e.attempts();
    out[15] = e.maxRetries();
    out[16] = e.respectBlacklist();
    out[17] = e.lastError();
    out[18] = e.provider();
    out[19] = e.externalId();
    out[20] = e.leaseOwner();
    out[21] = Times.micros(e.leaseExpiry());
    out[22] = e.dedupeKey();
    out[23] = Times.micros(e.createdAt());
    out[24] = Times.micros(e.updatedAt());
  }

  /** Writes the stored values of {@code l} into {@code out[0..15]}, in {@link #LOG_COLUMNS} order (nulls as null). */
  static void logValues(DeliveryLog l, Object[] out) {
    out[0] = l.id();
    out[1] = l.entryId();
    out[2] = l.ruleName();
    out[3] = l.campaignId();
    out[4] = l.phone();
    out[5] = l.recipientName();
    out[6] = l.templateKey();
    out[7] = l.state().name();
    out[8] = l.reason();
    out[9] = l.message();
    out[10] = l.provider();
    out[11] = l.externalId();
    out[12] = l.attempts();
    out[13] = l.processingMillis();
    out[14] = l.deliveryStatus().name();
    out[15] = Times.micros(l.createdAt());
  }

  /** Binds the {@link #QUEUE_COLUMNS} of {@code e} to parameters {@code at + 1} ... {@code at + 25}. */
  static void setEntry(PreparedStatement ps, int at, QueueEntry e) throws SQLException {
    Object[] v = new Object[QUEUE_COLUMN_COUNT];
    entryValues(e, v);
    for (int j = 0; j < v.length; j++) setValue(ps, at + j + 1, v[j], QUEUE_SQL_TYPES[j]);
  }

  /** Binds the {@link #LOG_COLUMNS} of {@code l} to parameters {@code at + 1} ... {@code at + 16}. */
  static void setLog(PreparedStatement ps, int at, DeliveryLog l) throws SQLException {
    Object[] v = new Object[LOG_COLUMN_COUNT];
    logValues(l, v);
    for (int j = 0; j < v.length; j++) setValue(ps, at + j + 1, v[j], LOG_SQL_TYPES[j]);
  }

  /** Binds one value of a column of {@code sqlType} (VARCHAR, BIGINT, INTEGER or BOOLEAN) with its typed setter. */
  static void setValue(PreparedStatement ps, int i, Object v, int sqlType) throws SQLException {
    if (v == null) {
      ps.setNull(i, sqlType);
      return;
    }
    switch (sqlType) {
      case BIGINT: ps.setLong(i, (Long) v); break;
      case INTEGER: ps.setInt(i, (Integer) v); break;
      case BOOLEAN: ps.setBoolean(i, (Boolean) v); break;
      default: ps.setString(i, (String) v); break;
    }
  }

  public static EntryRow entryRow(ResultSet rs) throws SQLException {
    String reason = null;
    String corruption = null;
    Map<String, String> context;
    try {
      context = JsonCodec.parseMap(rs.getString("context"));
      // an entry's context has no null values (notify never writes one); one written from outside is unreadable
      for (Map.Entry<String, String> e : context.entrySet()) {
        if (e.getValue() == null) throw new IllegalArgumentException("value of '" + e.getKey() + "' is null, not a string");
      }
    } catch (IllegalArgumentException e) {
      reason = QueueRepository.CORRUPT_CONTEXT;
      corruption = "stored context is unreadable: " + e.getMessage();
      context = Map.of();
    }
    String storedStatus = rs.getString("delivery_status");
    DeliveryStatus deliveryStatus = known(DeliveryStatus.class, storedStatus);
    if (deliveryStatus == null) {
      deliveryStatus = DeliveryStatus.NONE;
      if (corruption == null) {
        reason = QueueRepository.CORRUPT_ROW;
        corruption = unknownValue("delivery_status", storedStatus, DeliveryStatus.values());
      }
    }
    QueueEntry entry;
    try {
      entry = entry(rs, context, deliveryStatus);
    } catch (IllegalArgumentException | NullPointerException e) {
      // a value written by hand or by another version that the entry refuses (a blank phone or template key, a
      // negative count): this entry fails alone, as one with an unreadable context does, and its batch goes on
      reason = QueueRepository.CORRUPT_ROW;
      corruption = "stored row is unreadable: " + e.getMessage();
      entry = standIn(rs);
    }
    return new EntryRow(entry, reason, corruption);
  }

  /** The stored row as an entry; throws IllegalArgumentException for a value an entry refuses. */
  private static QueueEntry entry(ResultSet rs, Map<String, String> context, DeliveryStatus deliveryStatus)
      throws SQLException {
    QueueEntry.Builder b = QueueEntry.builder()
        .id(rs.getString("id"))
        .ruleName(rs.getString("rule_name"))
        .campaignId(rs.getString("campaign_id"))
        .recipient(new Recipient(rs.getString("recipient_id"), rs.getString("recipient_name"), rs.getString("phone")))
        .subject(rs.getString("subject_type"), rs.getString("subject_id"))
        .templateKey(rs.getString("template_key"))
        .context(context)
        .scheduledAt(Times.instant(rs.getLong("scheduled_at")))
        .priority(rs.getInt("priority"))
        .state(entryState(rs.getString("state")))
        .deliveryStatus(deliveryStatus)
        .attempts(rs.getInt("attempts"))
        .maxRetries(rs.getInt("max_retries"))
        .respectBlacklist(rs.getBoolean("respect_blacklist"))
        .lastError(rs.getString("last_error"))
        .provider(rs.getString("provider"))
        .externalId(rs.getString("external_id"))
        .lease(rs.getString("lease_owner"), Times.instant(rs, "lease_expiry"))
        .dedupeKey(rs.getString("dedupe_key"))
        .createdAt(Times.instant(rs.getLong("created_at")))
        .updatedAt(Times.instant(rs, "updated_at"));
    return b.build();
  }

  /**
   * An entry standing for a row that cannot be read as one: its id and the values an entry accepts as stored, the
   * others replaced, so that it can be failed with a log naming what was wrong.
   */
  private static QueueEntry standIn(ResultSet rs) throws SQLException {
    String phone = rs.getString("phone");
    String template = rs.getString("template_key");
    long createdAt = rs.getLong("created_at");
    EntryState state;
    try {
      state = entryState(rs.getString("state"));
    } catch (IllegalArgumentException | NullPointerException e) {
      state = EntryState.PROCESSING;
    }
    return QueueEntry.builder()
        .id(rs.getString("id"))
        .ruleName(rs.getString("rule_name"))
        .campaignId(rs.getString("campaign_id"))
        .recipient(new Recipient(null, null, phone == null || phone.isBlank() ? "unreadable" : phone))
        .templateKey(template == null || template.isBlank() ? "unreadable" : template)
        .context(Map.of())
        .scheduledAt(Times.instant(rs.getLong("scheduled_at")))
        .state(state)
        .lastError(rs.getString("last_error"))
        .createdAt(Times.instant(createdAt))
        .build();
  }

  /** The constant of {@code type} named {@code stored}; null when there is none. */
  private static <E extends Enum<E>> E known(Class<E> type, String stored) {
    if (stored == null) return null;
    try {
      return Enum.valueOf(type, stored);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** "stored {@code column} 'value' is unreadable: not one of A, B, C". */
  private static String unknownValue(String column, String stored, Enum<?>[] values) {
    StringBuilder names = new StringBuilder();
    for (Enum<?> v : values) names.append(names.length() == 0 ? "" : ", ").append(v.name());
    return "stored " + column + " " + quoted(stored) + " is unreadable: not one of " + names;
  }

  private static String quoted(String stored) {
    return stored == null ? "null" : "'" + stored + "'";
  }

  /** Reads an entry for queries outside the claim path: an unreadable column reads as its stand-in (see {@link EntryRow}). */
  public static QueueEntry entry(ResultSet rs) throws SQLException {
    return entryRow(rs).entry();
  }

  public static DeliveryLog log(ResultSet rs) throws SQLException {
    return new DeliveryLog(rs.getString("id"), rs.getString("entry_id"), rs.getString("rule_name"),
        rs.getString("campaign_id"), rs.getString("phone"), rs.getString("recipient_name"), rs.getString("template_key"),
        EntryState.valueOf(rs.getString("state")), rs.getString("reason"), rs.getString("message"),
        rs.getString("provider"), rs.getString("external_id"), rs.getInt("attempts"), rs.getLong("processing_millis"),
        DeliveryStatus.valueOf(rs.getString("delivery_status")), Times.instant(rs.getLong("created_at")));
  }

  public static final String BLACKLIST_COLUMNS = "phone, partner_id, reason, active, blocked_count, last_blocked_at, created_at";

  public static <S extends SqlStatement<S>> S bindBlacklist(S s, BlacklistEntry b) {
    return s.bind(0, b.phone()).bind(1, b.partnerId()).bind(2, b.reason()).bind(3, b.active()).bind(4, b.blockedCount())
        .bind(5, Times.micros(b.lastBlockedAt())).bind(6, Times.micros(b.createdAt()));
  }

  public static BlacklistEntry blacklist(ResultSet rs) throws SQLException {
    return new BlacklistEntry(rs.getString("phone"), rs.getString("partner_id"), rs.getString("reason"),
        rs.getBoolean("active"), rs.getLong("blocked_count"), Times.instant(rs, "last_blocked_at"),
        Times.instant(rs.getLong("created_at")));
  }

  public static final String CAMPAIGN_COLUMNS = "id, name, description, rule_name, template_key, target_source, target_params, "
      + "scheduled_at, batch_size, batch_interval, skip_in_address_book, state, cursor_pos, exhausted, targets, "
      + "skipped_in_address_book, duplicates, next_batch_at, created_at, updated_at";

  public static <S extends SqlStatement<S>> S bindCampaign(S s, Campaign c) {
    return s.bind(0, c.id()).bind(1, c.name()).bind(2, c.description()).bind(3, c.ruleName()).bind(4, c.templateKey())
        .bind(5, c.targetSource()).bind(6, JsonCodec.map(c.targetParams())).bind(7, Times.micros(c.scheduledAt()))
        .bind(8, c.batchSize()).bind(9, c.batchInterval().toString()).bind(10, c.skipRecipientsInAddressBookRaw())
        .bind(11, c.state().name()).bind(12, c.cursor()).bind(13, c.exhausted()).bind(14, c.targets())
        .bind(15, c.skippedInAddressBook()).bind(16, c.duplicates()).bind(17, Times.micros(c.nextBatchAt()))
        .bind(18, Times.micros(c.createdAt())).bind(19, Times.micros(c.updatedAt()));
  }

  /**
   * Reads a campaign row.
   *
   * @throws StoreException naming the campaign and the column when a stored value cannot be read (target
   *     parameters that are not a JSON object of strings, a state this version does not know, ...)
   */
  public static Campaign campaign(ResultSet rs) throws SQLException {
    String id = rs.getString("id");
    try {
      return campaign(rs, id);
    } catch (IllegalArgumentException e) {
      throw new StoreException("campaign '" + id + "' cannot be read: " + e.getMessage(), e);
    }
  }

  private static Campaign campaign(ResultSet rs, String id) throws SQLException {
    boolean skip = rs.getBoolean("skip_in_address_book");
    Boolean skipRaw = rs.wasNull() ? null : skip;
    String params = rs.getString("target_params");
    String interval = rs.getString("batch_interval");
    String state = rs.getString("state");
    Map<String, String> targetParams;
    try {
      targetParams = JsonCodec.parseMap(params);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("stored target_params is unreadable: " + e.getMessage(), e);
    }
    Duration batchInterval;
    try {
      batchInterval = Duration.parse(interval);
    } catch (RuntimeException e) { // DateTimeParseException, or NullPointerException for null
      throw new IllegalArgumentException("stored batch_interval " + quoted(interval) + " is unreadable: not an ISO-8601"
          + " duration", e);
    }
    CampaignState campaignState = known(CampaignState.class, state);
    if (campaignState == null) throw new IllegalArgumentException(unknownValue("state", state, CampaignState.values()));
    return Campaign.builder(id, rs.getString("name"))
        .description(rs.getString("description"))
        .ruleName(rs.getString("rule_name"))
        .templateKey(rs.getString("template_key"))
        .targetSource(rs.getString("target_source"))
        .targetParams(targetParams)
        .scheduledAt(Times.instant(rs, "scheduled_at"))
        .batchSize(rs.getInt("batch_size"))
        .batchInterval(batchInterval)
        .skipRecipientsInAddressBook(skipRaw)
        .state(campaignState)
        .cursor(rs.getLong("cursor_pos"))
        .exhausted(rs.getBoolean("exhausted"))
        .targets(rs.getLong("targets"))
        .skippedInAddressBook(rs.getLong("skipped_in_address_book"))
        .duplicates(rs.getLong("duplicates"))
        .nextBatchAt(Times.instant(rs, "next_batch_at"))
        .createdAt(Times.instant(rs.getLong("created_at")))
        .updatedAt(Times.instant(rs, "updated_at"))
        .build();
  }

  public static JobState jobState(ResultSet rs) throws SQLException {
    String job = rs.getString("job");
    Instant started = Times.instant(rs, "last_started_at");
    JobRun last = started == null ? null
        : new JobRun(job, rs.getString("last_node"), started, rs.getLong("last_duration_ms"), rs.getString("last_error"));
    return new JobState(job, rs.getBoolean("enabled"), last);
  }

  public static JobRun jobRun(ResultSet rs) throws SQLException {
    return new JobRun(rs.getString("job"), rs.getString("node"), Times.instant(rs.getLong("started_at")),
        rs.getLong("duration_ms"), rs.getString("error"));
  }
}
