package dev.notify.core.internal;

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
import dev.notify.core.spi.EntryUpdate;
import dev.notify.core.spi.LogQuery;
import dev.notify.core.spi.NewEntry;
import dev.notify.core.spi.NotificationStore;

/** A store that forwards every call to another; tests override the calls they want to observe or break. */
public class ForwardingStore implements NotificationStore {
  protected final NotificationStore delegate;

  public ForwardingStore(NotificationStore delegate) { this.delegate = delegate; }

  @Override public void start() { delegate.start(); }
  @Override public void close() { delegate.close(); }
  @Override public void saveTrigger(Trigger trigger) { delegate.saveTrigger(trigger); }
  @Override public Optional<Trigger> findTrigger(String code) { return delegate.findTrigger(code); }
  @Override public List<Trigger> triggers() { return delegate.triggers(); }
  @Override public boolean deleteTrigger(String code) { return delegate.deleteTrigger(code); }
  @Override public void saveRule(Rule rule) { delegate.saveRule(rule); }
  @Override public Optional<Rule> findRule(String name) { return delegate.findRule(name); }
  @Override public List<Rule> rules() { return delegate.rules(); }
  @Override public boolean deleteRule(String name) { return delegate.deleteRule(name); }
  @Override public List<QueueEntry> enqueue(List<NewEntry> entries, Instant now, Object transaction) { return delegate.enqueue(entries, now, transaction); }
  @Override public List<QueueEntry> claimDue(Instant now, int limit, String owner, Instant leaseUntil) { return delegate.claimDue(now, limit, owner, leaseUntil); }
  @Override public List<String> complete(List<EntryUpdate> updates) { return delegate.complete(updates); }
  @Override public int releaseLeases(String owner) { return delegate.releaseLeases(owner); }
  @Override public Optional<QueueEntry> findEntry(String id) { return delegate.findEntry(id); }
  @Override public List<QueueEntry> entries(EntryState state, int limit) { return delegate.entries(state, limit); }
  @Override public List<QueueEntry> campaignEntries(String campaignId, int limit) { return delegate.campaignEntries(campaignId, limit); }
  @Override public Optional<QueueEntry> findByExternalId(String provider, String externalId) { return delegate.findByExternalId(provider, externalId); }
  @Override public boolean updateDeliveryStatus(String provider, String externalId, DeliveryStatus status, Instant at, String error) { return delegate.updateDeliveryStatus(provider, externalId, status, at, error); }
  @Override public int cancelCampaignEntries(String campaignId, Instant now) { return delegate.cancelCampaignEntries(campaignId, now); }
  @Override public Map<EntryState, Long> countByState(String campaignId) { return delegate.countByState(campaignId); }
  @Override public long queueDepth(Instant now) { return delegate.queueDepth(now); }
  @Override public Optional<Instant> oldestDue(Instant now) { return delegate.oldestDue(now); }
  @Override public Optional<Instant> nextDue() { return delegate.nextDue(); }
  @Override public void appendLogs(List<DeliveryLog> logs) { delegate.appendLogs(logs); }
  @Override public void appendLogs(List<DeliveryLog> logs, Object transaction) { delegate.appendLogs(logs, transaction); }
  @Override public List<DeliveryLog> logs(LogQuery query) { return delegate.logs(query); }
  @Override public int deleteLogsBefore(Instant cutoff) { return delegate.deleteLogsBefore(cutoff); }
  @Override public int deleteFinishedEntriesBefore(Instant cutoff) { return delegate.deleteFinishedEntriesBefore(cutoff); }
  @Override public int deleteJobRunsBefore(Instant cutoff) { return delegate.deleteJobRunsBefore(cutoff); }
  @Override public void saveBlacklist(BlacklistEntry entry) { delegate.saveBlacklist(entry); }
  @Override public Optional<BlacklistEntry> findBlacklist(String phone) { return delegate.findBlacklist(phone); }
  @Override public List<BlacklistEntry> blacklist() { return delegate.blacklist(); }
  @Override public boolean removeBlacklist(String phone) { return delegate.removeBlacklist(phone); }
  @Override public void recordBlocked(String phone, Instant at) { delegate.recordBlocked(phone, at); }
  @Override public boolean tryAcquire(String key, Instant windowStart, int limit) { return delegate.tryAcquire(key, windowStart, limit); }
  @Override public void saveCampaign(Campaign campaign) { delegate.saveCampaign(campaign); }
  @Override public Optional<Campaign> findCampaign(String id) { return delegate.findCampaign(id); }
  @Override public List<Campaign> campaigns() { return delegate.campaigns(); }
  @Override public boolean transitionCampaign(String id, CampaignState expected, CampaignState next, Instant now) { return delegate.transitionCampaign(id, expected, next, now); }
  @Override public boolean advanceCampaign(String id, long fromCursor, long toCursor, boolean exhausted, long addTargets, long addSkippedInAddressBook, long addDuplicates, Instant nextBatchAt, Instant now) { return delegate.advanceCampaign(id, fromCursor, toCursor, exhausted, addTargets, addSkippedInAddressBook, addDuplicates, nextBatchAt, now); }
  @Override public void addCampaignCounts(String id, long addTargets, long addSkippedInAddressBook, long addDuplicates, Instant now) { delegate.addCampaignCounts(id, addTargets, addSkippedInAddressBook, addDuplicates, now); }
  @Override public boolean tryClaimTick(String job, Instant tick, String owner, Instant now, Instant leaseUntil) { return delegate.tryClaimTick(job, tick, owner, now, leaseUntil); }
  @Override public boolean renewTick(String job, Instant tick, String owner, Instant leaseUntil) { return delegate.renewTick(job, tick, owner, leaseUntil); }
  @Override public boolean finishTick(String job, Instant tick, String owner, Instant now) { return delegate.finishTick(job, tick, owner, now); }
  @Override public Optional<Instant> unfinishedTickLease(String job, Instant tick) { return delegate.unfinishedTickLease(job, tick); }
  @Override public void setJobEnabled(String job, boolean enabled) { delegate.setJobEnabled(job, enabled); }
  @Override public Optional<JobState> jobState(String job) { return delegate.jobState(job); }
  @Override public void recordJobRun(JobRun run) { delegate.recordJobRun(run); }
  @Override public List<JobRun> jobRuns(String job, int limit) { return delegate.jobRuns(job, limit); }
}
