package dev.notify.jdbc;

import dev.notify.core.BlacklistEntry;
import dev.notify.core.Campaign;
import dev.notify.core.CampaignState;
import dev.notify.core.DeliveryLog;
import dev.notify.core.DeliveryStatus;
import dev.notify.core.EntryState;
import dev.notify.core.JobRun;
import dev.notify.core.JobState;
import dev.notify.core.QueueEntry;
import dev.notify.core.Rule;
import dev.notify.core.StoreException;
import dev.notify.core.Trigger;
import dev.notify.core.spi.EntryUpdate;
import dev.notify.core.spi.LogQuery;
import dev.notify.core.spi.NewEntry;
import dev.notify.core.spi.NotificationStore;
import dev.notify.jdbc.internal.Db;
import dev.notify.jdbc.internal.H2Pool;
import dev.notify.jdbc.internal.JobRepository;
import dev.notify.jdbc.internal.Jdbc;
import dev.notify.jdbc.internal.LogRepository;
import dev.notify.jdbc.internal.Migrator;
import dev.notify.jdbc.internal.QueueRepository;
import dev.notify.jdbc.internal.RecordRepository;
import dev.notify.jdbc.internal.SqlDialect;
import dev.notify.jdbc.internal.Tables;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jdbi.v3.core.JdbiException;

/**
 * A durable {@link NotificationStore} on H2 (embedded), PostgreSQL 12+ or MariaDB 10.6+ / MySQL 8, through
 * Jdbi. Several engines (nodes) may share one database: claiming, rate-limit permits and job ticks are
 * decided by the database, so each entry is claimed by one node at a time and each tick runs once (again, once
 * its lease has ended, if the node running it died before the run ended).
 *
 * <pre>{@code
 * NotificationStore store = JdbcStore.h2File(Path.of("data/notify"));        // embedded default
 * NotificationStore store = JdbcStore.postgres(dataSource);                   // host's pooled DataSource
 * NotificationStore store = JdbcStore.builder(dataSource)
 *     .dialect(JdbcDialect.MARIADB).tablePrefix("crm_notify_").migrate(false).build();
 * }</pre>
 *
 * <p>Schema: versioned scripts per dialect (see {@link JdbcDialect#scriptLocation()}), applied by
 * {@link #start()} unless {@code migrate(false)}; a database whose schema is newer than this library
 * knows is refused. Instants are stored as BIGINT microseconds since the epoch (UTC).
 *
 * <p>Transactional outbox: {@link #enqueue(List, Instant, Object)} accepts the host's
 * {@link java.sql.Connection} or Jdbi {@code Handle}; the queue rows then commit or roll back with the
 * host's transaction.
 *
 * <p>Errors: database failures surface as {@link StoreException}; their messages never carry bound values.
 */
public final class JdbcStore implements NotificationStore {
  /** The table prefix used unless {@link Builder#tablePrefix(String)} says otherwise. */
  public static final String DEFAULT_TABLE_PREFIX = "notify_";
  private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,31}");
  private static final Pattern H2_NAME = Pattern.compile("[A-Za-z0-9_-]{1,100}");
  /**
   * Settings of the embedded H2 stores. Each H2 session keeps its parsed statements in a cache of
   * {@code QUERY_CACHE_SIZE} (H2's default 8); the dispatcher and enqueue paths use more distinct statements than
   * that on one pooled connection, so with 8 they were parsed again on most calls (11.5% of the JFR execution
   * samples at 500 fires/s on an H2 file; 0.9% with 64).
   */
  private static final String H2_SETTINGS = ";LOCK_TIMEOUT=10000;QUERY_CACHE_SIZE=64";

  private final DataSource dataSource;
  private final JdbcDialect configuredDialect;
  private final boolean migrate;
  private final String prefix;
  private final String keepAliveUrl;
  private final Runnable onClose;
  private final ReentrantLock claimLock = new ReentrantLock();
  private final Object lifecycle = new Object();

  private volatile Parts parts;
  private Connection keepAlive;
  private boolean closed;

  private JdbcStore(Builder b, String keepAliveUrl, Runnable onClose) {
    this.dataSource = b.dataSource;
    this.configuredDialect = b.dialect;
    this.migrate = b.migrate;
    this.prefix = b.prefix;
    this.keepAliveUrl = keepAliveUrl;
    this.onClose = onClose;
  }

  /** The repositories, created by start(). */
  private static final class Parts {
    final JdbcDialect dialect;
    final Db db;
    final QueueRepository queue;
    final LogRepository logs;
    final RecordRepository records;
    final JobRepository jobs;

    Parts(JdbcDialect dialect, Db db) {
      this.dialect = dialect;
      this.db = db;
      this.queue = new QueueRepository(db);
      this.logs = new LogRepository(db);
      this.records = new RecordRepository(db);
      this.jobs = new JobRepository(db);
    }
  }

  // ---- factories ----

  /**
   * An embedded H2 database in the file {@code path} + {@code .mv.db} (parent folders are created by H2),
   * with a small connection pool closed by {@link #close()}. A store call returns only once what it committed is
   * written to the file, so a killed process loses nothing it committed: transactions commit in memory and a
   * {@code CHECKPOINT} writes all of them committed so far in one chunk, shared by the calls that wait at the same
   * time (group commit at the file level). The file grows under sustained load, faster than H2 reclaims space in
   * the background (see the notify-jdbc README); {@link #close()} compacts it for up to 2 seconds
   * ({@code MAX_COMPACT_TIME=2000}).
   */
  public static JdbcStore h2File(Path path) {
    Objects.requireNonNull(path, "h2 database path");
    String url = "jdbc:h2:file:" + path.toAbsolutePath() + H2_SETTINGS + ";MAX_COMPACT_TIME=2000";
    H2Pool pool = new H2Pool(url, 16, true);
    return new JdbcStore(new Builder(pool).dialect(JdbcDialect.H2), null, pool::dispose);
  }

  /**
   * A private in-memory H2 database named {@code name}; it lives until {@link #close()} (stores opened
   * with the same name in this JVM share it). For tests and demos: nothing survives the process.
   */
  public static JdbcStore h2InMemory(String name) {
    if (name == null || !H2_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("h2 in-memory database name must match " + H2_NAME.pattern() + ", got "
          + (name == null ? "null" : "'" + name + "'"));
    }
    String url = "jdbc:h2:mem:" + name + H2_SETTINGS;
    H2Pool pool = new H2Pool(url, 16, false);
    return new JdbcStore(new Builder(pool).dialect(JdbcDialect.H2), url, pool::dispose);
  }

  /** PostgreSQL 12+ through the host's (pooled) DataSource, default prefix, migrating on start. */
  public static JdbcStore postgres(DataSource dataSource) {
    return builder(dataSource).dialect(JdbcDialect.POSTGRES).build();
  }

  /** MariaDB 10.6+ or MySQL 8 through the host's (pooled) DataSource, default prefix, migrating on start. */
  public static JdbcStore mariadb(DataSource dataSource) {
    return builder(dataSource).dialect(JdbcDialect.MARIADB).build();
  }

  /** A store on the host's DataSource; the dialect is detected on start unless set. */
  public static Builder builder(DataSource dataSource) {
    return new Builder(Objects.requireNonNull(dataSource, "dataSource"));
  }

  // ---- lifecycle ----

  /**
   * Detects the dialect (unless set), then migrates the schema to the latest version, or with
   * {@code migrate(false)} checks that it is there. Idempotent.
   *
   * @throws StoreException if the database is unreachable, or its notify schema is missing (migrate off),
   *     older (migrate off) or newer than this library knows
   * @throws IllegalArgumentException if the dialect is detected and the database is none of H2, PostgreSQL,
   *     MariaDB and MySQL
   * @throws IllegalStateException after {@link #close()}
   */
  @Override public void start() {
    synchronized (lifecycle) {
      if (closed) throw new IllegalStateException("JdbcStore is closed");
      if (parts != null) return;
      try {
        // kept from a start() that failed later on, so a retried start opens no second connection
        if (keepAliveUrl != null && keepAlive == null) keepAlive = DriverManager.getConnection(keepAliveUrl, "sa", "");
        JdbcDialect dialect = configuredDialect != null ? configuredDialect : detect();
        Tables tables = new Tables(prefix);
        Db db = new Db(dataSource, SqlDialect.of(dialect.folder(), tables), tables);
        Migrator migrator = new Migrator(db.jdbi, db.dialect, tables);
        if (migrate) migrator.migrate();
        else migrator.verify();
        parts = new Parts(dialect, db);
      } catch (JdbiException | SQLException e) {
        throw new StoreException("notify store could not start on " + (configuredDialect == null ? "the database" : configuredDialect)
            + ": " + e.getMessage(), e);
      }
    }
  }

  private JdbcDialect detect() throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      return JdbcDialect.fromProductName(c.getMetaData().getDatabaseProductName());
    }
  }

  /** Closes the connection pool this store created (h2File, h2InMemory); a host's DataSource is left open. */
  @Override public void close() {
    synchronized (lifecycle) {
      if (closed) return;
      closed = true;
      parts = null;
      if (onClose != null) onClose.run();
      if (keepAlive != null) {
        try {
          keepAlive.close();
        } catch (SQLException e) {
          throw new StoreException("could not close the in-memory H2 database: " + e.getMessage(), e);
        }
      }
    }
  }

  /** The dialect in use (detected on start when not configured). */
  public JdbcDialect dialect() { return parts().dialect; }

  /** The table prefix, {@value #DEFAULT_TABLE_PREFIX} by default. */
  public String tablePrefix() { return prefix; }

  /** The statements claimDue runs, in order, for documentation and diagnostics. */
  List<String> claimStatements() { return parts().db.dialect.claimSql(); }

  private Parts parts() {
    Parts p = parts;
    if (p != null) return p;
    start();
    return parts;
  }

  private <T> T call(String what, Supplier<T> work) {
    try {
      return work.get();
    } catch (JdbiException | Jdbc.Failure e) {
      throw new StoreException("notify store could not " + what + ": " + e.getMessage(), e);
    }
  }

  private void run(String what, Runnable work) {
    call(what, () -> {
      work.run();
      return null;
    });
  }

  private static <T> T required(T value, String what) {
    return Objects.requireNonNull(value, () -> what + " must not be null");
  }

  private static String notBlank(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank, got " + (value == null ? "null" : "'" + value + "'"));
    }
    return value;
  }

  private static int positive(int value, String what) {
    if (value <= 0) throw new IllegalArgumentException(what + " must be > 0, got " + value);
    return value;
  }

  // ---- definitions ----

  @Override public void saveTrigger(Trigger trigger) {
    required(trigger, "trigger");
    run("save trigger '" + trigger.code() + "'", () -> parts().records.saveTrigger(trigger));
  }

  @Override public Optional<Trigger> findTrigger(String code) {
    return call("find trigger '" + code + "'", () -> parts().records.findTrigger(required(code, "trigger code")));
  }

  @Override public List<Trigger> triggers() { return call("list triggers", () -> parts().records.triggers()); }

  @Override public boolean deleteTrigger(String code) {
    return call("delete trigger '" + code + "'", () -> parts().records.deleteTrigger(required(code, "trigger code")));
  }

  @Override public void saveRule(Rule rule) {
    required(rule, "rule");
    run("save rule '" + rule.name() + "'", () -> parts().records.saveRule(rule));
  }

  @Override public Optional<Rule> findRule(String name) {
    return call("find rule '" + name + "'", () -> parts().records.findRule(required(name, "rule name")));
  }

  @Override public List<Rule> rules() { return call("list rules", () -> parts().records.rules()); }

  @Override public boolean deleteRule(String name) {
    return call("delete rule '" + name + "'", () -> parts().records.deleteRule(required(name, "rule name")));
  }

  // ---- queue ----

  /**
   * {@inheritDoc}
   *
   * <p>{@code transaction} may be a {@link java.sql.Connection} or a Jdbi {@code Handle} on this store's
   * database: the rows are written on it and not committed (a connection in auto-commit mode gets its own
   * short transaction).
   */
  @Override public List<QueueEntry> enqueue(List<NewEntry> entries, Instant now, Object transaction) {
    required(entries, "entries");
    for (NewEntry e : entries) required(e, "entry");
    required(now, "now");
    return call("enqueue " + entries.size() + " entries", () -> parts().queue.enqueue(entries, now, transaction));
  }

  @Override public List<QueueEntry> claimDue(Instant now, int limit, String owner, Instant leaseUntil) {
    required(now, "now");
    positive(limit, "claim limit");
    notBlank(owner, "lease owner");
    required(leaseUntil, "leaseUntil");
    Parts p = parts();
    return claiming(p, "claim due entries", () -> p.queue.claimDue(now, limit, owner, leaseUntil));
  }

  /** Runs a claim; on H2 (one JVM) the claims of one store take turns, other databases skip locked rows instead. */
  private <T> T claiming(Parts p, String what, Supplier<T> claim) {
    boolean serialise = p.dialect == JdbcDialect.H2;
    if (serialise) claimLock.lock();
    try {
      return call(what, claim);
    } finally {
      if (serialise) claimLock.unlock();
    }
  }

  @Override public List<String> complete(List<EntryUpdate> updates) {
    required(updates, "updates");
    for (EntryUpdate u : updates) required(u, "update");
    return call("complete " + updates.size() + " entries", () -> parts().queue.complete(updates));
  }

  @Override public List<QueueEntry> completeAndClaim(List<EntryUpdate> updates, Instant now, int limit, String owner,
                                                    Instant leaseUntil) {
    required(updates, "updates");
    for (EntryUpdate u : updates) required(u, "update");
    if (limit < 0) throw new IllegalArgumentException("claim limit must be >= 0, got " + limit);
    Parts p = parts();
    if (updates.isEmpty() || limit == 0) return NotificationStore.super.completeAndClaim(updates, now, limit, owner, leaseUntil);
    required(now, "now");
    notBlank(owner, "lease owner");
    required(leaseUntil, "leaseUntil");
    // PostgreSQL sends both statements in one round trip; the others run them in one transaction (one commit)
    return claiming(p, "complete " + updates.size() + " entries and claim due entries",
        () -> p.queue.completeAndClaim(updates, now, limit, owner, leaseUntil));
  }

  @Override public int releaseLeases(String owner) {
    notBlank(owner, "lease owner");
    return call("release leases", () -> parts().queue.releaseLeases(owner));
  }

  @Override public Optional<QueueEntry> findEntry(String id) {
    return call("find entry '" + id + "'", () -> parts().queue.findEntry(required(id, "entry id")));
  }

  @Override public List<QueueEntry> entries(EntryState state, int limit) {
    positive(limit, "entries limit");
    return call("list entries", () -> parts().queue.entries(state, limit));
  }

  @Override public List<QueueEntry> campaignEntries(String campaignId, int limit) {
    required(campaignId, "campaign id");
    positive(limit, "entries limit");
    return call("list entries of campaign '" + campaignId + "'", () -> parts().queue.campaignEntries(campaignId, limit));
  }

  @Override public Optional<QueueEntry> findByExternalId(String provider, String externalId) {
    required(provider, "provider");
    required(externalId, "external id");
    return call("find entry by external id", () -> parts().queue.findByExternalId(provider, externalId));
  }

  @Override public boolean updateDeliveryStatus(String provider, String externalId, DeliveryStatus status, Instant at,
                                                String error) {
    required(provider, "provider");
    required(externalId, "external id");
    required(status, "delivery status");
    required(at, "at");
    return call("update delivery status", () -> parts().queue.updateDeliveryStatus(provider, externalId, status, at, error));
  }

  @Override public int cancelCampaignEntries(String campaignId, Instant now) {
    required(campaignId, "campaign id");
    required(now, "now");
    return call("cancel entries of campaign '" + campaignId + "'", () -> parts().queue.cancelCampaignEntries(campaignId, now));
  }

  @Override public Map<EntryState, Long> countByState(String campaignId) {
    return call("count entries", () -> parts().queue.countByState(campaignId));
  }

  @Override public long queueDepth(Instant now) {
    required(now, "now");
    return call("measure the queue", () -> parts().queue.queueDepth(now));
  }

  @Override public Optional<Instant> oldestDue(Instant now) {
    required(now, "now");
    return call("find the oldest due entry", () -> parts().queue.oldestDue(now));
  }

  @Override public Optional<Instant> nextDue() { return call("find the next due entry", () -> parts().queue.nextDue()); }

  // ---- delivery logs ----

  @Override public void appendLogs(List<DeliveryLog> logs) { appendLogs(logs, null); }

  @Override public void appendLogs(List<DeliveryLog> logs, Object transaction) {
    required(logs, "logs");
    for (DeliveryLog l : logs) required(l, "log");
    run("append " + logs.size() + " logs", () -> parts().logs.appendLogs(logs, transaction));
  }

  @Override public List<DeliveryLog> logs(LogQuery query) {
    required(query, "log query");
    return call("read logs", () -> parts().logs.logs(query));
  }

  /**
   * {@inheritDoc} Also drops dedupe keys that expired, and rate-limit windows that began, before {@code cutoff}, except
   * each key's latest window, which may still be running.
   */
  @Override public int deleteLogsBefore(Instant cutoff) {
    required(cutoff, "cutoff");
    return call("delete old logs", () -> parts().logs.deleteLogsBefore(cutoff));
  }

  /** {@inheritDoc} Deletes in batches of 10,000 rows, each in its own transaction. */
  @Override public int deleteFinishedEntriesBefore(Instant cutoff) {
    required(cutoff, "cutoff");
    return call("delete finished entries", () -> parts().queue.deleteFinishedBefore(cutoff));
  }

  @Override public int deleteJobRunsBefore(Instant cutoff) {
    required(cutoff, "cutoff");
    return call("delete old job runs", () -> parts().jobs.deleteJobRunsBefore(cutoff));
  }

  // ---- blacklist ----

  @Override public void saveBlacklist(BlacklistEntry entry) {
    required(entry, "blacklist entry");
    run("save a blacklist entry", () -> parts().records.saveBlacklist(entry));
  }

  @Override public Optional<BlacklistEntry> findBlacklist(String phone) {
    required(phone, "phone");
    return call("find a blacklist entry", () -> parts().records.findBlacklist(phone));
  }

  @Override public List<BlacklistEntry> blacklist() { return call("list the blacklist", () -> parts().records.blacklist()); }

  @Override public boolean removeBlacklist(String phone) {
    required(phone, "phone");
    return call("remove a blacklist entry", () -> parts().records.removeBlacklist(phone));
  }

  @Override public void recordBlocked(String phone, Instant at) {
    required(phone, "phone");
    required(at, "at");
    run("record a blocked send", () -> parts().records.recordBlocked(phone, at));
  }

  // ---- rate limits ----

  @Override public boolean tryAcquire(String key, Instant windowStart, int limit) {
    notBlank(key, "rate limit key");
    required(windowStart, "windowStart");
    return call("take a rate-limit permit for '" + key + "'", () -> parts().jobs.tryAcquire(key, windowStart, limit));
  }

  // ---- campaigns ----

  @Override public void saveCampaign(Campaign campaign) {
    required(campaign, "campaign");
    run("save campaign '" + campaign.id() + "'", () -> parts().records.saveCampaign(campaign));
  }

  @Override public Optional<Campaign> findCampaign(String id) {
    return call("find campaign '" + id + "'", () -> parts().records.findCampaign(required(id, "campaign id")));
  }

  @Override public List<Campaign> campaigns() { return call("list campaigns", () -> parts().records.campaigns()); }

  @Override public boolean transitionCampaign(String id, CampaignState expected, CampaignState next, Instant now) {
    required(id, "campaign id");
    required(expected, "expected state");
    required(next, "next state");
    required(now, "now");
    return call("move campaign '" + id + "' to " + next, () -> parts().records.transitionCampaign(id, expected, next, now));
  }

  @Override public boolean advanceCampaign(String id, long fromCursor, long toCursor, boolean exhausted, long addTargets,
                                         long addSkippedInAddressBook, long addDuplicates, Instant nextBatchAt, Instant now) {
    required(id, "campaign id");
    required(now, "now");
    return call("save progress of campaign '" + id + "'", () -> parts().records.advanceCampaign(id, fromCursor, toCursor,
        exhausted, addTargets, addSkippedInAddressBook, addDuplicates, nextBatchAt, now));
  }

  @Override public void addCampaignCounts(String id, long addTargets, long addSkippedInAddressBook, long addDuplicates,
                                          Instant now) {
    required(id, "campaign id");
    required(now, "now");
    run("correct the counts of campaign '" + id + "'", () -> parts().records.addCampaignCounts(id, addTargets,
        addSkippedInAddressBook, addDuplicates, now));
  }

  // ---- jobs ----

  @Override public boolean tryClaimTick(String job, Instant tick, String owner, Instant now, Instant leaseUntil) {
    notBlank(job, "job name");
    required(tick, "tick");
    required(owner, "owner");
    required(now, "now");
    required(leaseUntil, "lease end");
    return call("claim tick " + tick + " of job '" + job + "'",
        () -> parts().jobs.tryClaimTick(job, tick, owner, now, leaseUntil));
  }

  @Override public boolean renewTick(String job, Instant tick, String owner, Instant leaseUntil) {
    notBlank(job, "job name");
    required(tick, "tick");
    required(owner, "owner");
    required(leaseUntil, "lease end");
    return call("renew the lease of tick " + tick + " of job '" + job + "'",
        () -> parts().jobs.renewTick(job, tick, owner, leaseUntil));
  }

  @Override public boolean finishTick(String job, Instant tick, String owner, Instant now) {
    notBlank(job, "job name");
    required(tick, "tick");
    required(owner, "owner");
    required(now, "now");
    return call("mark tick " + tick + " of job '" + job + "' finished", () -> parts().jobs.finishTick(job, tick, owner, now));
  }

  @Override public Optional<Instant> unfinishedTickLease(String job, Instant tick) {
    notBlank(job, "job name");
    required(tick, "tick");
    return call("read the lease of tick " + tick + " of job '" + job + "'", () -> parts().jobs.unfinishedTickLease(job, tick));
  }

  @Override public void setJobEnabled(String job, boolean enabled) {
    notBlank(job, "job name");
    run((enabled ? "enable" : "disable") + " job '" + job + "'", () -> parts().jobs.setJobEnabled(job, enabled));
  }

  @Override public Optional<JobState> jobState(String job) {
    required(job, "job name");
    return call("read state of job '" + job + "'", () -> parts().jobs.jobState(job));
  }

  @Override public void recordJobRun(JobRun run) {
    required(run, "job run");
    run("record a run of job '" + run.job() + "'", () -> parts().jobs.recordJobRun(run));
  }

  @Override public List<JobRun> jobRuns(String job, int limit) {
    required(job, "job name");
    positive(limit, "job runs limit");
    return call("list runs of job '" + job + "'", () -> parts().jobs.jobRuns(job, limit));
  }

  @Override public String toString() {
    return "JdbcStore{" + (configuredDialect == null ? "auto" : configuredDialect) + ", prefix=" + prefix + "}";
  }

  /** Builds a {@link JdbcStore} on a host's DataSource; each setting may be set once. */
  public static final class Builder {
    private final DataSource dataSource;
    private JdbcDialect dialect;
    private Boolean migrateSet;
    private boolean migrate = true;
    private String prefix = DEFAULT_TABLE_PREFIX;
    private boolean prefixSet;

    private Builder(DataSource dataSource) { this.dataSource = dataSource; }

    /** The database dialect; detected from the connection's metadata on start when not set. */
    public Builder dialect(JdbcDialect dialect) {
      Objects.requireNonNull(dialect, "dialect");
      if (this.dialect != null) throw new IllegalStateException("dialect was already set to " + this.dialect);
      this.dialect = dialect;
      return this;
    }

    /**
     * Whether start() applies the schema scripts (default true). Off for hosts that run the scripts with
     * Flyway or Liquibase: start() then only checks the schema version.
     */
    public Builder migrate(boolean migrate) {
      if (migrateSet != null) throw new IllegalStateException("migrate was already set to " + this.migrate);
      this.migrateSet = migrate;
      this.migrate = migrate;
      return this;
    }

    /** Prefix of every table and index (default {@value JdbcStore#DEFAULT_TABLE_PREFIX}): a lower-case letter, then up to 31 of [a-z0-9_]. */
    public Builder tablePrefix(String prefix) {
      if (prefixSet) throw new IllegalStateException("tablePrefix was already set to '" + this.prefix + "'");
      if (prefix == null || !PREFIX.matcher(prefix).matches()) {
        throw new IllegalArgumentException("table prefix must match " + PREFIX.pattern() + ", got "
            + (prefix == null ? "null" : "'" + prefix + "'"));
      }
      this.prefix = prefix;
      this.prefixSet = true;
      return this;
    }

    public JdbcStore build() { return new JdbcStore(this, null, null); }
  }
}
