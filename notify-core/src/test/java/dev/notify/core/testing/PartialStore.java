package dev.notify.core.testing;

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
import dev.notify.core.spi.EntryUpdate;
import dev.notify.core.spi.LogQuery;
import dev.notify.core.spi.NewEntry;
import dev.notify.core.spi.NotificationStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A thread-safe fake store with only what the scheduler and analytics use: job ticks, state and runs,
 * delivery logs, and a queue depth / oldest due set by the test. Everything else throws.
 */
public final class PartialStore implements NotificationStore {
  private final Map<String, Instant> claimedTicks = new HashMap<>();
  private final Map<String, String> claimOwners = new HashMap<>();
  private final Map<String, JobState> states = new HashMap<>();
  private final List<JobRun> runs = new ArrayList<>();
  private final List<DeliveryLog> logs = new ArrayList<>();
  private long queueDepth;
  private Instant oldestDue;

  // ---- jobs ----

  @Override
  public synchronized boolean tryClaimTick(String job, Instant tick, String owner) {
    Instant last = claimedTicks.get(job);
    if (last != null && !tick.isAfter(last)) return false;
    claimedTicks.put(job, tick);
    claimOwners.put(job, owner);
    return true;
  }

  /** The latest tick claimed for {@code job}, or null. */
  public synchronized Instant lastClaimedTick(String job) {
    return claimedTicks.get(job);
  }

  @Override public synchronized void saveJobState(JobState state) { states.put(state.job(), state); }
  @Override public synchronized Optional<JobState> jobState(String job) { return Optional.ofNullable(states.get(job)); }
  @Override public synchronized void recordJobRun(JobRun run) { runs.add(run); }

  @Override
  public synchronized List<JobRun> jobRuns(String job, int limit) {
    return runs.stream().filter(r -> r.job().equals(job))
        .sorted(Comparator.comparing(JobRun::startedAt).reversed()).limit(limit).toList();
  }

  // ---- logs ----

  @Override public synchronized void appendLogs(List<DeliveryLog> list) { logs.addAll(list); }

  @Override
  public synchronized List<DeliveryLog> logs(LogQuery q) {
    return logs.stream()
        .filter(l -> q.from() == null || !l.createdAt().isBefore(q.from()))
        .filter(l -> q.to() == null || l.createdAt().isBefore(q.to()))
        .filter(l -> q.ruleName() == null || q.ruleName().equals(l.ruleName()))
        .filter(l -> q.campaignId() == null || q.campaignId().equals(l.campaignId()))
        .filter(l -> q.state() == null || q.state() == l.state())
        .filter(l -> q.phone() == null || q.phone().equals(l.phone()))
        .sorted(Comparator.comparing(DeliveryLog::createdAt).thenComparing(DeliveryLog::id))
        .limit(q.limit()).toList();
  }

  @Override
  public synchronized int deleteLogsBefore(Instant cutoff) {
    int before = logs.size();
    logs.removeIf(l -> l.createdAt().isBefore(cutoff));
    return before - logs.size();
  }

  // ---- queue figures, set by the test ----

  public synchronized void setQueue(long depth, Instant oldestDueAt) {
    this.queueDepth = depth;
    this.oldestDue = oldestDueAt;
  }

  @Override public synchronized long queueDepth(Instant now) { return queueDepth; }
  @Override public synchronized Optional<Instant> oldestDue(Instant now) { return Optional.ofNullable(oldestDue); }

  // ---- not needed here ----

  private static UnsupportedOperationException unsupported() {
    return new UnsupportedOperationException("not in PartialStore");
  }

  @Override public void saveTrigger(Trigger trigger) { throw unsupported(); }
  @Override public Optional<Trigger> findTrigger(String code) { throw unsupported(); }
  @Override public List<Trigger> triggers() { throw unsupported(); }
  @Override public boolean deleteTrigger(String code) { throw unsupported(); }
  @Override public void saveRule(Rule rule) { throw unsupported(); }
  @Override public Optional<Rule> findRule(String name) { throw unsupported(); }
  @Override public List<Rule> rules() { throw unsupported(); }
  @Override public boolean deleteRule(String name) { throw unsupported(); }
  @Override public List<QueueEntry> enqueue(List<NewEntry> entries, Instant now, Object transaction) { throw unsupported(); }
  @Override public List<QueueEntry> claimDue(Instant now, int limit, String owner, Instant leaseUntil) { throw unsupported(); }
  @Override public List<String> complete(List<EntryUpdate> updates) { throw unsupported(); }
  @Override public int releaseLeases(String owner) { throw unsupported(); }
  @Override public Optional<QueueEntry> findEntry(String id) { throw unsupported(); }
  @Override public List<QueueEntry> entries(EntryState state, int limit) { throw unsupported(); }
  @Override public List<QueueEntry> campaignEntries(String campaignId, int limit) { throw unsupported(); }
  @Override public Optional<QueueEntry> findByExternalId(String externalId) { throw unsupported(); }
  @Override public boolean updateDeliveryStatus(String externalId, DeliveryStatus status, Instant at, String error) { throw unsupported(); }
  @Override public int cancelCampaignEntries(String campaignId, Instant now) { throw unsupported(); }
  @Override public Map<EntryState, Long> countByState(String campaignId) { throw unsupported(); }
  @Override public Optional<Instant> nextDue() { throw unsupported(); }
  @Override public void saveBlacklist(BlacklistEntry entry) { throw unsupported(); }
  @Override public Optional<BlacklistEntry> findBlacklist(String phone) { throw unsupported(); }
  @Override public List<BlacklistEntry> blacklist() { throw unsupported(); }
  @Override public boolean removeBlacklist(String phone) { throw unsupported(); }
  @Override public void recordBlocked(String phone, Instant at) { throw unsupported(); }
  @Override public boolean tryAcquire(String key, Instant windowStart, int limit) { throw unsupported(); }
  @Override public void saveCampaign(Campaign campaign) { throw unsupported(); }
  @Override public Optional<Campaign> findCampaign(String id) { throw unsupported(); }
  @Override public List<Campaign> campaigns() { throw unsupported(); }
  @Override public boolean transitionCampaign(String id, CampaignState expected, CampaignState next, Instant now) { throw unsupported(); }
  @Override public void updateCampaignProgress(String id, long cursor, boolean exhausted, long targets, long skippedInAddressBook,
                                               long duplicates, Instant nextBatchAt, Instant now) { throw unsupported(); }
}
