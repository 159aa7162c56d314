package dev.notify.core.spi;

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
import dev.notify.core.Trigger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything notify keeps: definitions, the queue (outbox), delivery logs, the blacklist, campaigns,
 * rate-limit counters and job state. Implementations are thread-safe; a store shared by several engines
 * (JDBC) makes claiming, rate limits and job ticks cluster-wide.
 *
 * <p>Behaviour is pinned by the abstract contract suite {@code NotificationStoreContract} in the
 * notify-core test-jar; every implementation runs it.
 *
 * <p>Errors: implementations throw {@link dev.notify.core.StoreException} (or a subclass) for storage failures.
 */
public interface NotificationStore extends AutoCloseable {

  /** Prepares the store (schema migration, ...). Called once by the engine before any other method. */
  default void start() {}

  /** Releases connections. Called once by the engine on close. */
  @Override default void close() {}

  // ---- definitions ----

  /** Inserts or replaces by code. */
  void saveTrigger(Trigger trigger);
  Optional<Trigger> findTrigger(String code);
  List<Trigger> triggers();
  boolean deleteTrigger(String code);

  /** Inserts or replaces by name. */
  void saveRule(Rule rule);
  Optional<Rule> findRule(String name);
  List<Rule> rules();
  boolean deleteRule(String name);

  // ---- queue ----

  /**
   * Inserts entries atomically (all or none). An entry with a dedupe key is dropped when the same key
   * was stored earlier with a dedupeUntil after {@code now}; otherwise the key is (re)stored until its
   * dedupeUntil. Two entries of the same call with the same key: only the first is kept.
   *
   * @param transaction null, or the host's transaction the rows must join (e.g. a JDBC Connection or a
   *     Jdbi Handle); a store that cannot join it throws IllegalArgumentException naming its class
   * @return the entries actually inserted, in input order
   */
  List<QueueEntry> enqueue(List<NewEntry> entries, Instant now, Object transaction);

  /**
   * Claims up to {@code limit} due entries for {@code owner}: PENDING entries with scheduledAt &lt;= now, and
   * PROCESSING entries whose lease expired before now; ordered by priority desc, scheduledAt asc. Entries
   * of a PAUSED or CANCELLED campaign are never claimed. Claimed entries become PROCESSING with the lease set.
   * Concurrent callers (threads or nodes) never claim the same entry while its lease is valid. A store that keeps
   * rows it may be unable to read (a database written by hand or by another version) fails such an entry alone, with
   * a log naming what was wrong, and leaves it out of the result, which may then hold fewer than were due.
   */
  List<QueueEntry> claimDue(Instant now, int limit, String owner, Instant leaseUntil);

  /**
   * Applies outcomes; each applies only if the entry is PROCESSING under {@code update.leaseOwner()}.
   * Logs of applied terminal updates are written in the same transaction.
   *
   * @return the ids of the updates that applied
   */
  List<String> complete(List<EntryUpdate> updates);

  /**
   * {@link #complete} then {@link #claimDue}, as one call: the dispatcher stores the outcomes of the last
   * batch and claims the next one together, and a database store can do both in one round trip. The
   * updates are applied first, so an entry they return to PENDING (a retry) may be claimed by the same call
   * if it is due. Override it only to make it cheaper; the default calls the two methods in turn.
   *
   * @param updates outcomes to apply, may be empty
   * @param limit how many to claim; 0 claims nothing
   * @return the claimed entries, as {@link #claimDue} returns them
   */
  default List<QueueEntry> completeAndClaim(List<EntryUpdate> updates, Instant now, int limit, String owner, Instant leaseUntil) {
    if (limit < 0) throw new IllegalArgumentException("claim limit must be >= 0, got " + limit);
    if (!updates.isEmpty()) complete(updates);
    return limit == 0 ? List.of() : claimDue(now, limit, owner, leaseUntil);
  }

  /** Returns the PROCESSING entries leased by {@code owner} to PENDING (graceful shutdown). @return how many */
  int releaseLeases(String owner);

  Optional<QueueEntry> findEntry(String id);

  /** Entries by state (null for all), ordered by createdAt then id, at most {@code limit}. */
  List<QueueEntry> entries(EntryState state, int limit);

  /** Entries of a campaign (any state), ordered by createdAt then id, at most {@code limit}. */
  List<QueueEntry> campaignEntries(String campaignId, int limit);

  /** The entry that {@code provider} accepted with the message id {@code externalId}. */
  Optional<QueueEntry> findByExternalId(String provider, String externalId);

  /**
   * Moves the delivery status of the entry (and its log) that {@code provider} accepted with the message id
   * {@code externalId} forward, per {@link DeliveryStatus#canMoveTo}. A replay or a step back changes nothing, and
   * so does a status from another provider (one provider's callback must not change what another sent, and two
   * gateways may use the same ids).
   *
   * @return true if something changed
   */
  boolean updateDeliveryStatus(String provider, String externalId, DeliveryStatus status, Instant at, String error);

  /**
   * Cancels the campaign's PENDING entries, and its PROCESSING entries whose lease expired before {@code now}
   * (their node died sending them), to state CANCELLED with one log each, reason {@code campaign_cancelled}.
   * Entries under a valid lease are being sent and are left alone. @return how many
   */
  int cancelCampaignEntries(String campaignId, Instant now);

  /** Entry counts by state, for one campaign or (campaignId null) for all. States with none are absent. */
  Map<EntryState, Long> countByState(String campaignId);

  /** PENDING entries with scheduledAt &lt;= now; entries of a paused campaign may be left out. */
  long queueDepth(Instant now);

  /** scheduledAt of the oldest PENDING entry due at {@code now}. */
  Optional<Instant> oldestDue(Instant now);

  /**
   * The earliest scheduledAt of any PENDING entry (due or not): lets the dispatcher sleep until then. Entries of a
   * paused campaign may be left out (the dispatcher cannot claim them anyway).
   */
  Optional<Instant> nextDue();

  // ---- delivery logs ----

  /** Writes logs not tied to a claimed entry (e.g. skipped at fire time). */
  void appendLogs(List<DeliveryLog> logs);

  /**
   * Writes logs not tied to a claimed entry inside the host's transaction, as {@link #enqueue} joins it: the skip
   * logs of a fire in a transaction the host then rolls back must not stay behind. The default writes them at once,
   * outside any transaction ({@link #appendLogs(List)}), as before this method existed: a store that joins host
   * transactions overrides it, and so should a store that decorates another.
   *
   * @param transaction null, or the host's transaction (e.g. a JDBC Connection or a Jdbi Handle)
   */
  default void appendLogs(List<DeliveryLog> logs, Object transaction) {
    appendLogs(logs);
  }

  List<DeliveryLog> logs(LogQuery query);

  /** Deletes logs created before {@code cutoff}. @return how many */
  int deleteLogsBefore(Instant cutoff);

  /**
   * Deletes the queue entries that belong to no campaign, are in a final state (SENT, FAILED, SKIPPED,
   * CANCELLED) and were created and last updated before {@code cutoff}. Entries still PENDING or PROCESSING are
   * kept however old, and so are campaign entries: a campaign's progress is counted from them. The
   * {@code log-cleanup} job calls it with the log retention.
   *
   * @return how many
   */
  int deleteFinishedEntriesBefore(Instant cutoff);

  /**
   * Deletes the job runs (history) started before {@code cutoff}; each job's state, with its last run, stays. The
   * {@code log-cleanup} job calls it with the log retention.
   *
   * @return how many
   */
  int deleteJobRunsBefore(Instant cutoff);

  // ---- blacklist ----

  /** Inserts or replaces by phone. */
  void saveBlacklist(BlacklistEntry entry);
  Optional<BlacklistEntry> findBlacklist(String phone);
  List<BlacklistEntry> blacklist();
  boolean removeBlacklist(String phone);
  /** Bumps blockedCount and sets lastBlockedAt, atomically. No-op for an unknown phone. */
  void recordBlocked(String phone, Instant at);

  // ---- rate limits (cluster-wide when the store is shared) ----

  /**
   * Atomically takes one permit from the fixed window ({@code key}, {@code windowStart}) if fewer than
   * {@code limit} were taken. @return whether a permit was taken
   */
  boolean tryAcquire(String key, Instant windowStart, int limit);

  // ---- campaigns ----

  /** Inserts or replaces the whole campaign. */
  void saveCampaign(Campaign campaign);
  /** The campaign; a store that cannot read its row throws a {@link dev.notify.core.StoreException} naming it. */
  Optional<Campaign> findCampaign(String id);

  /** Every campaign; one whose row cannot be read is left out (with a WARN naming it), so the others still run. */
  List<Campaign> campaigns();

  /**
   * Moves the campaign's state from {@code expected} to {@code next} atomically (compare-and-set).
   * @return false if the campaign is missing or not in {@code expected}
   */
  boolean transitionCampaign(String id, CampaignState expected, CampaignState next, Instant now);

  /**
   * Moves a campaign's cursor after a batch, without touching its state (a concurrent pause wins): if its stored
   * cursor is still {@code fromCursor}, sets it to {@code toCursor}, sets {@code exhausted} and {@code nextBatchAt},
   * and adds the batch's counts to its totals, atomically. Changes nothing otherwise (another runner moved the
   * cursor meanwhile, having read the same targets).
   *
   * @return whether the cursor moved
   */
  boolean advanceCampaign(String id, long fromCursor, long toCursor, boolean exhausted, long addTargets,
                          long addSkippedInAddressBook, long addDuplicates, Instant nextBatchAt, Instant now);

  /**
   * Adds to a campaign's totals (a count may be negative) without touching its state or cursor: for a batch that
   * found its cursor moved by another runner ({@link #advanceCampaign} returned false).
   */
  void addCampaignCounts(String id, long addTargets, long addSkippedInAddressBook, long addDuplicates, Instant now);

  // ---- jobs ----

  /**
   * Claims the tick {@code tick} of {@code job} for {@code owner} until {@code leaseUntil}. Only the job's last
   * claimed tick is kept. The claim succeeds for one caller at a time across all nodes: if no tick of the job was
   * claimed; if the last claimed tick is earlier than {@code tick} and finished ({@link #finishTick}) or its lease
   * ended before {@code now} (so a job never runs twice at once across nodes: a tick due while the previous run
   * goes on elsewhere is not run, as on one node); or if it is {@code tick}, still unfinished, and its lease ended
   * before {@code now} (the node that ran it died, or lost the store for longer than the lease). A finished tick,
   * or one earlier than the last claimed, is never claimed again.
   *
   * @return whether {@code owner} now holds the tick
   */
  boolean tryClaimTick(String job, Instant tick, String owner, Instant now, Instant leaseUntil);

  /**
   * Extends {@code owner}'s claim of {@code tick} to {@code leaseUntil} while its run goes on.
   *
   * @return false, changing nothing, if the tick is finished, is no longer the job's last claimed tick, or was
   *     claimed again by another owner after the lease ended
   */
  boolean renewTick(String job, Instant tick, String owner, Instant leaseUntil);

  /**
   * Marks {@code owner}'s claim of {@code tick} finished at {@code now}: its run ended (a run that failed ended
   * too), and the tick is never claimed again. Marking it again (say after a call that failed) also succeeds.
   *
   * @return false, changing nothing, if the tick is no longer the job's last claimed tick or is another owner's
   */
  boolean finishTick(String job, Instant tick, String owner, Instant now);

  /**
   * The end of the lease of {@code tick}, if it is the job's last claimed tick and is unfinished: the tick can be
   * claimed again after that instant (unless its lease is renewed meanwhile). Empty if the tick is finished, or is
   * not the job's last claimed tick (it was never claimed, or a later tick was).
   */
  Optional<Instant> unfinishedTickLease(String job, Instant tick);

  /**
   * Enables or disables {@code job} for every node, leaving its last run as it is; a job without a state gets
   * one. Only the flag is written, so a run recorded at the same time on another node is not lost, nor is this
   * change lost to it.
   */
  void setJobEnabled(String job, boolean enabled);

  /** The job's state, or empty if it never ran and was never enabled or disabled. */
  Optional<JobState> jobState(String job);

  /**
   * Appends {@code run} to the job's history and makes it the job's {@link JobState#lastRun()} unless a run that
   * started later is already recorded there; the {@link JobState#enabled()} flag is left as it is (a job without a
   * state gets one, enabled).
   */
  void recordJobRun(JobRun run);

  /** Most recent first. */
  List<JobRun> jobRuns(String job, int limit);
}
