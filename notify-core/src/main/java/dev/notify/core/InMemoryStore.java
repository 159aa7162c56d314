package dev.notify.core;

import dev.notify.core.internal.Check;
import dev.notify.core.spi.EntryUpdate;
import dev.notify.core.spi.LogQuery;
import dev.notify.core.spi.NewEntry;
import dev.notify.core.spi.NotificationStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * A {@link NotificationStore} that keeps everything in this JVM's memory: for tests, demos and single-node
 * applications that accept losing the queue, the logs and the campaigns on restart. Nothing is shared with
 * other processes, so rate limits and job ticks are per JVM.
 *
 * <p>Thread-safe. The queue is indexed so that claiming is cheap whatever the backlog: due entries wait in
 * per-priority sets ordered by (scheduledAt, insertion order), entries scheduled later wait in a set ordered by
 * scheduledAt and move over when they fall due, leased entries sit in a set ordered by lease expiry so expired
 * leases are found without a scan, and entries of a paused campaign are set aside until it resumes. One lock
 * guards these structures and the delivery logs (kept in write order); callers are expected to enqueue, claim
 * and complete in batches. Reads by id ({@link #findEntry}, {@link #findByExternalId}) take no lock. Listing
 * queries ({@link #entries}, {@link #logs}) scan: they are for operators, not for a hot path.
 *
 * <p>Limits: the queue keeps every entry until {@link #deleteFinishedEntriesBefore} removes finished ones of no
 * campaign, and delivery logs until {@link #deleteLogsBefore} (the daily {@code log-cleanup} job runs both), so a
 * long-running process holds the traffic of its retention period; deleting scans every entry; only the most
 * recent {@value #JOB_RUNS_KEPT} runs of each job are kept; it cannot join a host transaction.
 *
 * <p>Usage: {@code NotificationEngine.builder().store(InMemoryStore.create())}.
 */
public final class InMemoryStore implements NotificationStore {
  /** Runs kept per job; older ones are dropped. */
  public static final int JOB_RUNS_KEPT = 1_000;
  /** Windows remembered per rate-limit key; a permit for an older, forgotten window is refused. */
  private static final int RATE_WINDOWS_KEPT = 4;
  private static final String CANCELLED_REASON = "campaign_cancelled";

  private static final Comparator<Node> BY_KEY = (a, b) -> {
    int c = a.key.compareTo(b.key);
    return c != 0 ? c : Long.compare(a.seq, b.seq);
  };
  private static final Comparator<DeliveryLog> LOG_ORDER = Comparator.comparing(DeliveryLog::createdAt)
      .thenComparing(DeliveryLog::id);
  private static final Comparator<QueueEntry> BY_CREATED = Comparator.comparing(QueueEntry::createdAt)
      .thenComparing(QueueEntry::id);

  // ---- definitions, blacklist, jobs, rate limits: independent concurrent maps ----
  private final ConcurrentHashMap<String, Trigger> triggers = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Rule> rules = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, BlacklistEntry> blacklist = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, RateWindows> rateWindows = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, TickClaim> ticks = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, JobState> jobStates = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, List<JobRun>> jobRuns = new ConcurrentHashMap<>();

  // ---- queue and campaigns: mutated under lock; the concurrent maps are also read without it ----
  private final ReentrantLock lock = new ReentrantLock();
  private final ConcurrentHashMap<String, Node> entries = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Node> byExternalId = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Campaign> campaigns = new ConcurrentHashMap<>();
  private final Map<String, List<Node>> byCampaign = new HashMap<>();
  /** Due candidates: priority (desc) → nodes ordered by (scheduledAt, seq). */
  private final TreeMap<Integer, TreeSet<Node>> ready = new TreeMap<>(Comparator.reverseOrder());
  /** PENDING entries not yet due at the time they were placed, ordered by (scheduledAt, seq). */
  private final TreeSet<Node> delayed = new TreeSet<>(BY_KEY);
  /** PROCESSING entries ordered by (leaseExpiry, seq). */
  private final TreeSet<Node> leased = new TreeSet<>(BY_KEY);
  /** Due entries of paused campaigns, by campaign id; back to {@link #ready} when the campaign leaves PAUSED. */
  private final Map<String, Set<Node>> parked = new HashMap<>();
  private final Map<String, Instant> dedupe = new HashMap<>();
  /** Delivery logs in the order written; each entry's node points at its log so webhooks can update it. */
  private final ArrayList<LogCell> logs = new ArrayList<>();
  private final long[] stateCounts = new long[EntryState.values().length];
  private long nextSeq;
  private int dedupePruneAt = 1_024;

  private InMemoryStore() {}

  /** A new, empty store. */
  public static InMemoryStore create() {
    return new InMemoryStore();
  }

  // ---------------------------------------------------------------- definitions

  @Override public void saveTrigger(Trigger trigger) {
    Objects.requireNonNull(trigger, "trigger");
    triggers.put(trigger.code(), trigger);
  }

  @Override public Optional<Trigger> findTrigger(String code) {
    return Optional.ofNullable(triggers.get(Objects.requireNonNull(code, "code")));
  }

  @Override public List<Trigger> triggers() {
    List<Trigger> all = new ArrayList<>(triggers.values());
    all.sort(Comparator.comparing(Trigger::code));
    return Collections.unmodifiableList(all);
  }

  @Override public boolean deleteTrigger(String code) {
    return triggers.remove(Objects.requireNonNull(code, "code")) != null;
  }

  @Override public void saveRule(Rule rule) {
    Objects.requireNonNull(rule, "rule");
    rules.put(rule.name(), rule);
  }

  @Override public Optional<Rule> findRule(String name) {
    return Optional.ofNullable(rules.get(Objects.requireNonNull(name, "name")));
  }

  @Override public List<Rule> rules() {
    List<Rule> all = new ArrayList<>(rules.values());
    all.sort(Comparator.comparing(Rule::name));
    return Collections.unmodifiableList(all);
  }

  @Override public boolean deleteRule(String name) {
    return rules.remove(Objects.requireNonNull(name, "name")) != null;
  }

  // ---------------------------------------------------------------- queue

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if {@code transaction} is not null: this store has no transactions to join
   * @throws StoreException if an entry id is already stored (nothing of the batch is stored then)
   */
  @Override public List<QueueEntry> enqueue(List<NewEntry> newEntries, Instant now, Object transaction) {
    Objects.requireNonNull(newEntries, "entries");
    Objects.requireNonNull(now, "now");
    if (transaction != null) {
      throw new IllegalArgumentException("the in-memory store cannot join a host transaction: got "
          + transaction.getClass().getName());
    }
    if (newEntries.isEmpty()) return List.of();
    List<NewEntry> kept = new ArrayList<>(newEntries.size());
    lock.lock();
    try {
      Set<String> keysInCall = null;
      Set<String> idsInCall = newEntries.size() > 1 ? new HashSet<>(newEntries.size() * 2) : null;
      for (NewEntry ne : newEntries) {
        QueueEntry e = Objects.requireNonNull(ne, "entry").entry();
        String key = e.dedupeKey();
        if (key != null) {
          if (keysInCall == null) keysInCall = new HashSet<>();
          if (!keysInCall.add(key)) continue;
          Instant until = dedupe.get(key);
          if (until != null && until.isAfter(now)) continue;
        }
        if (entries.containsKey(e.id()) || (idsInCall != null && !idsInCall.add(e.id()))) {
          throw new StoreException("queue entry id '" + e.id() + "' already exists; nothing of this enqueue was stored");
        }
        kept.add(ne);
      }
      List<QueueEntry> inserted = new ArrayList<>(kept.size());
      for (NewEntry ne : kept) {
        QueueEntry e = ne.entry();
        if (e.dedupeKey() != null) dedupe.put(e.dedupeKey(), ne.dedupeUntil());
        Node n = new Node(nextSeq++, e);
        entries.put(e.id(), n);
        stateCounts[e.state().ordinal()]++;
        if (e.externalId() != null) byExternalId.put(externalKey(e.provider(), e.externalId()), n);
        if (e.campaignId() != null) byCampaign.computeIfAbsent(e.campaignId(), c -> new ArrayList<>()).add(n);
        place(n, now);
        inserted.add(e);
      }
      if (dedupe.size() > dedupePruneAt) pruneDedupe(now);
      return inserted;
    } finally {
      lock.unlock();
    }
  }

  /** @throws IllegalArgumentException if {@code limit} is not positive */
  @Override public List<QueueEntry> claimDue(Instant now, int limit, String owner, Instant leaseUntil) {
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(leaseUntil, "leaseUntil");
    if (limit <= 0) throw new IllegalArgumentException("claim limit must be > 0, got " + limit);
    List<QueueEntry> claimed = new ArrayList<>(Math.min(limit, 256));
    lock.lock();
    try {
      promoteDue(now);
      requeueExpiredLeases(now);
      for (TreeSet<Node> bucket : ready.values()) {
        Iterator<Node> it = bucket.iterator();
        while (claimed.size() < limit && it.hasNext()) {
          Node n = it.next();
          QueueEntry e = n.entry;
          if (e.scheduledAt().isAfter(now)) break; // the bucket is ordered by scheduledAt
          if (e.state() == EntryState.PROCESSING && !e.leaseExpiry().isBefore(now)) continue; // caller's clock behind
          it.remove();
          n.where = Where.NONE;
          if (isHeld(e.campaignId())) {
            park(n);
            continue;
          }
          QueueEntry c = e.toBuilder().state(EntryState.PROCESSING).lease(owner, leaseUntil).updatedAt(now).build();
          setEntry(n, c);
          n.key = leaseUntil;
          leased.add(n);
          n.where = Where.LEASED;
          claimed.add(c);
        }
        if (claimed.size() >= limit) break;
      }
      return claimed;
    } finally {
      lock.unlock();
    }
  }

  @Override public List<String> complete(List<EntryUpdate> updates) {
    Objects.requireNonNull(updates, "updates");
    List<String> applied = new ArrayList<>(updates.size());
    lock.lock();
    try {
      for (EntryUpdate u : updates) {
        Node n = entries.get(u.id());
        if (n == null) continue;
        QueueEntry e = n.entry;
        if (e.state() != EntryState.PROCESSING || !u.leaseOwner().equals(e.leaseOwner())) continue;
        detach(n);
        QueueEntry next = e.toBuilder().state(u.state()).attempts(u.attempts()).scheduledAt(u.scheduledAt())
            .lastError(u.lastError()).provider(u.provider()).externalId(u.externalId()).lease(null, null)
            .updatedAt(u.updatedAt()).build();
        setEntry(n, next);
        place(n, u.updatedAt());
        if (u.log() != null) writeLog(u.log(), n);
        applied.add(u.id());
      }
      return applied;
    } finally {
      lock.unlock();
    }
  }

  @Override public int releaseLeases(String owner) {
    Objects.requireNonNull(owner, "owner");
    lock.lock();
    try {
      List<Node> mine = new ArrayList<>();
      for (Node n : leased) if (owner.equals(n.entry.leaseOwner())) mine.add(n);
      for (TreeSet<Node> bucket : ready.values()) {
        for (Node n : bucket) if (n.entry.state() == EntryState.PROCESSING && owner.equals(n.entry.leaseOwner())) mine.add(n);
      }
      for (Set<Node> set : parked.values()) {
        for (Node n : set) if (n.entry.state() == EntryState.PROCESSING && owner.equals(n.entry.leaseOwner())) mine.add(n);
      }
      for (Node n : mine) {
        detach(n);
        setEntry(n, n.entry.toBuilder().state(EntryState.PENDING).lease(null, null).build());
        addReady(n);
      }
      return mine.size();
    } finally {
      lock.unlock();
    }
  }

  @Override public Optional<QueueEntry> findEntry(String id) {
    Node n = entries.get(Objects.requireNonNull(id, "id"));
    return n == null ? Optional.empty() : Optional.of(n.entry);
  }

  /** Scans all entries ever stored: meant for operators, not for a hot path. */
  @Override public List<QueueEntry> entries(EntryState state, int limit) {
    checkLimit(limit);
    return entries.values().stream().map(n -> n.entry).filter(e -> state == null || e.state() == state)
        .sorted(BY_CREATED).limit(limit).toList();
  }

  @Override public List<QueueEntry> campaignEntries(String campaignId, int limit) {
    Objects.requireNonNull(campaignId, "campaignId");
    checkLimit(limit);
    List<QueueEntry> list = new ArrayList<>();
    lock.lock();
    try {
      for (Node n : byCampaign.getOrDefault(campaignId, List.of())) list.add(n.entry);
    } finally {
      lock.unlock();
    }
    list.sort(BY_CREATED);
    return list.size() > limit ? List.copyOf(list.subList(0, limit)) : Collections.unmodifiableList(list);
  }

  /** The index key of a provider's message id (two gateways may use the same ids). */
  private static String externalKey(String provider, String externalId) {
    return (provider == null ? "" : provider) + '\u0000' + externalId;
  }

  private static boolean sentAs(QueueEntry e, String provider, String externalId) {
    return externalId.equals(e.externalId()) && provider.equals(e.provider());
  }

  @Override public Optional<QueueEntry> findByExternalId(String provider, String externalId) {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(externalId, "externalId");
    Node n = byExternalId.get(externalKey(provider, externalId));
    if (n == null) return Optional.empty();
    QueueEntry e = n.entry;
    return sentAs(e, provider, externalId) ? Optional.of(e) : Optional.empty();
  }

  @Override public boolean updateDeliveryStatus(String provider, String externalId, DeliveryStatus status, Instant at,
                                                String error) {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(externalId, "externalId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(at, "at");
    lock.lock();
    try {
      Node n = byExternalId.get(externalKey(provider, externalId));
      if (n == null || !sentAs(n.entry, provider, externalId)) return false;
      QueueEntry e = n.entry;
      if (!e.deliveryStatus().canMoveTo(status)) return false;
      QueueEntry.Builder b = e.toBuilder().deliveryStatus(status).updatedAt(at);
      if (error != null) b.lastError(error);
      setEntry(n, b.build());
      if (n.log != null) n.log.log = n.log.log.withDeliveryStatus(status);
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override public int cancelCampaignEntries(String campaignId, Instant now) {
    Objects.requireNonNull(campaignId, "campaignId");
    Objects.requireNonNull(now, "now");
    lock.lock();
    try {
      int count = 0;
      for (Node n : byCampaign.getOrDefault(campaignId, List.of())) {
        QueueEntry e = n.entry;
        boolean expired = e.state() == EntryState.PROCESSING && e.leaseExpiry().isBefore(now);
        if (e.state() != EntryState.PENDING && !expired) continue;
        detach(n);
        setEntry(n, e.toBuilder().state(EntryState.CANCELLED).lease(null, null).updatedAt(now).build());
        writeLog(new DeliveryLog(UUID.randomUUID().toString(), e.id(), e.ruleName(), e.campaignId(),
            e.recipient().phone(), e.recipient().name(), e.templateKey(), EntryState.CANCELLED, CANCELLED_REASON, null,
            e.provider(), e.externalId(), e.attempts(), 0, e.deliveryStatus(), now), n);
        count++;
      }
      return count;
    } finally {
      lock.unlock();
    }
  }

  @Override public Map<EntryState, Long> countByState(String campaignId) {
    Map<EntryState, Long> counts = new EnumMap<>(EntryState.class);
    lock.lock();
    try {
      if (campaignId == null) {
        for (EntryState s : EntryState.values()) if (stateCounts[s.ordinal()] > 0) counts.put(s, stateCounts[s.ordinal()]);
      } else {
        for (Node n : byCampaign.getOrDefault(campaignId, List.of())) counts.merge(n.entry.state(), 1L, Long::sum);
      }
    } finally {
      lock.unlock();
    }
    return Collections.unmodifiableMap(counts);
  }

  @Override public long queueDepth(Instant now) {
    Objects.requireNonNull(now, "now");
    lock.lock();
    try {
      long depth = 0;
      for (TreeSet<Node> bucket : ready.values()) {
        for (Node n : bucket) {
          if (n.entry.scheduledAt().isAfter(now)) break;
          if (n.entry.state() == EntryState.PENDING) depth++;
        }
      }
      for (Node n : delayed) {
        if (n.key.isAfter(now)) break;
        depth++;
      }
      for (Set<Node> set : parked.values()) {
        for (Node n : set) if (n.entry.state() == EntryState.PENDING && !n.entry.scheduledAt().isAfter(now)) depth++;
      }
      return depth;
    } finally {
      lock.unlock();
    }
  }

  @Override public Optional<Instant> oldestDue(Instant now) {
    Objects.requireNonNull(now, "now");
    return nextDue().filter(at -> !at.isAfter(now));
  }

  @Override public Optional<Instant> nextDue() {
    lock.lock();
    try {
      Instant min = delayed.isEmpty() ? null : delayed.first().key;
      for (TreeSet<Node> bucket : ready.values()) {
        for (Node n : bucket) {
          if (n.entry.state() != EntryState.PENDING) continue;
          if (min == null || n.entry.scheduledAt().isBefore(min)) min = n.entry.scheduledAt();
          break;
        }
      }
      for (Set<Node> set : parked.values()) {
        for (Node n : set) {
          if (n.entry.state() == EntryState.PENDING && (min == null || n.entry.scheduledAt().isBefore(min))) {
            min = n.entry.scheduledAt();
          }
        }
      }
      return Optional.ofNullable(min);
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- delivery logs

  @Override public void appendLogs(List<DeliveryLog> newLogs) {
    Objects.requireNonNull(newLogs, "logs");
    for (DeliveryLog log : newLogs) Objects.requireNonNull(log, "log");
    lock.lock();
    try {
      for (DeliveryLog log : newLogs) writeLog(log, log.entryId() == null ? null : entries.get(log.entryId()));
    } finally {
      lock.unlock();
    }
  }

  /** Scans all logs: meant for operators and analytics, not for a hot path. */
  @Override public List<DeliveryLog> logs(LogQuery q) {
    Objects.requireNonNull(q, "query");
    List<DeliveryLog> out = new ArrayList<>();
    lock.lock();
    try {
      for (LogCell cell : logs) {
        DeliveryLog log = cell.log;
        if (q.from() != null && log.createdAt().isBefore(q.from())) continue;
        if (q.to() != null && !log.createdAt().isBefore(q.to())) continue;
        if (q.ruleName() != null && !q.ruleName().equals(log.ruleName())) continue;
        if (q.campaignId() != null && !q.campaignId().equals(log.campaignId())) continue;
        if (q.state() != null && q.state() != log.state()) continue;
        if (q.phone() != null && !q.phone().equals(log.phone())) continue;
        out.add(log);
      }
    } finally {
      lock.unlock();
    }
    out.sort(LOG_ORDER); // logs are written roughly in time order, so this is close to linear
    return out.size() > q.limit() ? List.copyOf(out.subList(0, q.limit())) : Collections.unmodifiableList(out);
  }

  @Override public int deleteLogsBefore(Instant cutoff) {
    Objects.requireNonNull(cutoff, "cutoff");
    lock.lock();
    try {
      int before = logs.size();
      logs.removeIf(cell -> {
        if (!cell.log.createdAt().isBefore(cutoff)) return false;
        Node n = cell.log.entryId() == null ? null : entries.get(cell.log.entryId());
        if (n != null && n.log == cell) n.log = null;
        return true;
      });
      return before - logs.size();
    } finally {
      lock.unlock();
    }
  }

  @Override public int deleteFinishedEntriesBefore(Instant cutoff) {
    Objects.requireNonNull(cutoff, "cutoff");
    lock.lock();
    try {
      int deleted = 0;
      for (Iterator<Node> it = entries.values().iterator(); it.hasNext(); ) {
        Node n = it.next();
        QueueEntry e = n.entry;
        if (e.campaignId() != null || !e.state().isTerminal() || n.where != Where.NONE
            || !e.createdAt().isBefore(cutoff) || (e.updatedAt() != null && !e.updatedAt().isBefore(cutoff))) {
          continue;
        }
        it.remove();
        if (e.externalId() != null) byExternalId.remove(externalKey(e.provider(), e.externalId()), n);
        stateCounts[e.state().ordinal()]--;
        deleted++;
      }
      return deleted;
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- blacklist

  @Override public void saveBlacklist(BlacklistEntry entry) {
    Objects.requireNonNull(entry, "entry");
    blacklist.put(entry.phone(), entry);
  }

  @Override public Optional<BlacklistEntry> findBlacklist(String phone) {
    return Optional.ofNullable(blacklist.get(Objects.requireNonNull(phone, "phone")));
  }

  @Override public List<BlacklistEntry> blacklist() {
    List<BlacklistEntry> all = new ArrayList<>(blacklist.values());
    all.sort(Comparator.comparing(BlacklistEntry::phone));
    return Collections.unmodifiableList(all);
  }

  @Override public boolean removeBlacklist(String phone) {
    return blacklist.remove(Objects.requireNonNull(phone, "phone")) != null;
  }

  @Override public void recordBlocked(String phone, Instant at) {
    Objects.requireNonNull(phone, "phone");
    Objects.requireNonNull(at, "at");
    blacklist.computeIfPresent(phone, (p, b) -> new BlacklistEntry(b.phone(), b.partnerId(), b.reason(), b.active(),
        b.blockedCount() + 1, at, b.createdAt()));
  }

  // ---------------------------------------------------------------- rate limits

  /** @throws IllegalArgumentException if {@code limit} is not positive */
  @Override public boolean tryAcquire(String key, Instant windowStart, int limit) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(windowStart, "windowStart");
    if (limit <= 0) throw new IllegalArgumentException("rate limit for '" + key + "' must be > 0, got " + limit);
    RateWindows w = rateWindows.computeIfAbsent(key, k -> new RateWindows());
    synchronized (w) {
      return w.tryAcquire(windowStart, limit);
    }
  }

  // ---------------------------------------------------------------- campaigns

  @Override public void saveCampaign(Campaign campaign) {
    Objects.requireNonNull(campaign, "campaign");
    lock.lock();
    try {
      campaigns.put(campaign.id(), campaign);
      if (!holdsEntries(campaign.state())) unpark(campaign.id());
    } finally {
      lock.unlock();
    }
  }

  @Override public Optional<Campaign> findCampaign(String id) {
    return Optional.ofNullable(campaigns.get(Objects.requireNonNull(id, "id")));
  }

  @Override public List<Campaign> campaigns() {
    List<Campaign> all = new ArrayList<>(campaigns.values());
    all.sort(Comparator.comparing(Campaign::createdAt).thenComparing(Campaign::id));
    return Collections.unmodifiableList(all);
  }

  @Override public boolean transitionCampaign(String id, CampaignState expected, CampaignState next, Instant now) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(next, "next");
    Objects.requireNonNull(now, "now");
    lock.lock();
    try {
      Campaign c = campaigns.get(id);
      if (c == null || c.state() != expected) return false;
      campaigns.put(id, c.toBuilder().state(next).updatedAt(now).build());
      // cancelling keeps them parked for cancelCampaignEntries: unparked, a claim in between could send them
      if (!holdsEntries(next)) unpark(id);
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override public boolean advanceCampaign(String id, long fromCursor, long toCursor, boolean exhausted, long addTargets,
                                         long addSkippedInAddressBook, long addDuplicates, Instant nextBatchAt,
                                         Instant now) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(now, "now");
    lock.lock();
    try {
      Campaign c = campaigns.get(id);
      if (c == null || c.cursor() != fromCursor) return false;
      campaigns.put(id, c.toBuilder().cursor(toCursor).exhausted(exhausted).targets(c.targets() + addTargets)
          .skippedInAddressBook(c.skippedInAddressBook() + addSkippedInAddressBook)
          .duplicates(c.duplicates() + addDuplicates).nextBatchAt(nextBatchAt).updatedAt(now).build());
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override public void addCampaignCounts(String id, long addTargets, long addSkippedInAddressBook, long addDuplicates,
                                          Instant now) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(now, "now");
    lock.lock();
    try {
      campaigns.computeIfPresent(id, (k, c) -> c.toBuilder().targets(c.targets() + addTargets)
          .skippedInAddressBook(c.skippedInAddressBook() + addSkippedInAddressBook)
          .duplicates(c.duplicates() + addDuplicates).updatedAt(now).build());
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- jobs

  @Override public boolean tryClaimTick(String job, Instant tick, String owner, Instant now, Instant leaseUntil) {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(tick, "tick");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(leaseUntil, "leaseUntil");
    boolean[] won = new boolean[1];
    ticks.compute(job, (j, last) -> {
      boolean previousOver = last == null || last.finishedAt() != null || last.leaseUntil().isBefore(now);
      boolean free = last == null || tick.isAfter(last.tick()) && previousOver
          || tick.equals(last.tick()) && last.finishedAt() == null && last.leaseUntil().isBefore(now);
      if (!free) return last;
      won[0] = true;
      return new TickClaim(tick, owner, now, leaseUntil, null);
    });
    return won[0];
  }

  @Override public boolean renewTick(String job, Instant tick, String owner, Instant leaseUntil) {
    Objects.requireNonNull(leaseUntil, "leaseUntil");
    return updateOwnClaim(job, tick, owner, c -> c.finishedAt() == null
        ? new TickClaim(c.tick(), c.owner(), c.claimedAt(), leaseUntil, null) : null);
  }

  @Override public boolean finishTick(String job, Instant tick, String owner, Instant now) {
    Objects.requireNonNull(now, "now");
    return updateOwnClaim(job, tick, owner, c -> new TickClaim(c.tick(), c.owner(), c.claimedAt(), c.leaseUntil(), now));
  }

  /** Replaces {@code owner}'s claim of {@code tick} by {@code change} of it, unless that is null. */
  private boolean updateOwnClaim(String job, Instant tick, String owner, UnaryOperator<TickClaim> change) {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(tick, "tick");
    Objects.requireNonNull(owner, "owner");
    boolean[] changed = new boolean[1];
    ticks.computeIfPresent(job, (j, c) -> {
      if (!c.tick().equals(tick) || !c.owner().equals(owner)) return c;
      TickClaim next = change.apply(c);
      if (next == null) return c;
      changed[0] = true;
      return next;
    });
    return changed[0];
  }

  @Override public Optional<Instant> unfinishedTickLease(String job, Instant tick) {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(tick, "tick");
    TickClaim c = ticks.get(job);
    return c == null || !c.tick().equals(tick) || c.finishedAt() != null ? Optional.empty() : Optional.of(c.leaseUntil());
  }

  @Override public void setJobEnabled(String job, boolean enabled) {
    Check.notBlank(job, "job name");
    jobStates.compute(job, (j, s) -> (s == null ? JobState.initial(j) : s).withEnabled(enabled));
  }

  @Override public Optional<JobState> jobState(String job) {
    return Optional.ofNullable(jobStates.get(Objects.requireNonNull(job, "job")));
  }

  @Override public void recordJobRun(JobRun run) {
    Objects.requireNonNull(run, "run");
    jobStates.compute(run.job(), (j, s) -> {
      JobState state = s == null ? JobState.initial(j) : s;
      return state.lastRun() != null && state.lastRun().startedAt().isAfter(run.startedAt()) ? state : state.withLastRun(run);
    });
    List<JobRun> runs = jobRuns.computeIfAbsent(run.job(), j -> new ArrayList<>());
    synchronized (runs) {
      runs.add(run);
      if (runs.size() > JOB_RUNS_KEPT) {
        runs.sort(Comparator.comparing(JobRun::startedAt)); // stable: equal starts keep insertion order
        runs.subList(0, runs.size() - JOB_RUNS_KEPT).clear();
      }
    }
  }

  @Override public int deleteJobRunsBefore(Instant cutoff) {
    Objects.requireNonNull(cutoff, "cutoff");
    int deleted = 0;
    for (List<JobRun> runs : jobRuns.values()) {
      synchronized (runs) {
        int before = runs.size();
        runs.removeIf(r -> r.startedAt().isBefore(cutoff));
        deleted += before - runs.size();
      }
    }
    return deleted;
  }

  @Override public List<JobRun> jobRuns(String job, int limit) {
    Objects.requireNonNull(job, "job");
    checkLimit(limit);
    List<JobRun> runs = jobRuns.get(job);
    if (runs == null) return List.of();
    List<JobRun> copy;
    synchronized (runs) {
      copy = new ArrayList<>(runs);
    }
    Collections.reverse(copy); // latest recorded first among equal start times
    copy.sort(Comparator.comparing(JobRun::startedAt).reversed());
    return List.copyOf(copy.subList(0, Math.min(limit, copy.size())));
  }

  @Override public String toString() {
    return "InMemoryStore{entries=" + entries.size() + "}";
  }

  // ---------------------------------------------------------------- queue internals (call under lock)

  private void place(Node n, Instant now) {
    QueueEntry e = n.entry;
    if (e.state() == EntryState.PENDING) {
      if (e.scheduledAt().isAfter(now)) {
        n.key = e.scheduledAt();
        delayed.add(n);
        n.where = Where.DELAYED;
      } else {
        addReady(n);
      }
    } else if (e.state() == EntryState.PROCESSING && e.leaseExpiry() != null) {
      n.key = e.leaseExpiry();
      leased.add(n);
      n.where = Where.LEASED;
    } else {
      n.where = Where.NONE;
    }
  }

  private void addReady(Node n) {
    n.key = n.entry.scheduledAt();
    ready.computeIfAbsent(n.entry.priority(), p -> new TreeSet<>(BY_KEY)).add(n);
    n.where = Where.READY;
  }

  private void detach(Node n) {
    switch (n.where) {
      case READY: ready.get(n.entry.priority()).remove(n); break;
      case DELAYED: delayed.remove(n); break;
      case LEASED: leased.remove(n); break;
      case PARKED: parked.get(n.entry.campaignId()).remove(n); break;
      default: break;
    }
    n.where = Where.NONE;
  }

  private void setEntry(Node n, QueueEntry next) {
    stateCounts[n.entry.state().ordinal()]--;
    stateCounts[next.state().ordinal()]++;
    n.entry = next;
    if (next.externalId() != null) byExternalId.put(externalKey(next.provider(), next.externalId()), n);
  }

  /** Moves delayed entries that fell due to the ready sets. */
  private void promoteDue(Instant now) {
    while (!delayed.isEmpty() && !delayed.first().key.isAfter(now)) addReady(delayed.pollFirst());
  }

  /** Makes entries whose lease expired before now claimable again (they stay PROCESSING until claimed). */
  private void requeueExpiredLeases(Instant now) {
    while (!leased.isEmpty() && leased.first().key.isBefore(now)) addReady(leased.pollFirst());
  }

  /** Whether the campaign's entries are set aside (parked). */
  private boolean isHeld(String campaignId) {
    if (campaignId == null) return false;
    Campaign c = campaigns.get(campaignId);
    return c != null && holdsEntries(c.state());
  }

  /** PAUSED until it resumes; CANCELLED for good (cancelCampaignEntries takes them as they are). */
  private static boolean holdsEntries(CampaignState state) {
    return state == CampaignState.PAUSED || state == CampaignState.CANCELLED;
  }

  private void park(Node n) {
    parked.computeIfAbsent(n.entry.campaignId(), c -> new LinkedHashSet<>()).add(n);
    n.where = Where.PARKED;
  }

  private void unpark(String campaignId) {
    Set<Node> set = parked.remove(campaignId);
    if (set == null) return;
    for (Node n : set) addReady(n);
  }

  private void pruneDedupe(Instant now) {
    dedupe.values().removeIf(until -> !until.isAfter(now));
    dedupePruneAt = Math.max(1_024, dedupe.size() * 2);
  }

  /** Appends {@code log}; {@code node} (may be null) is the entry it belongs to. */
  private void writeLog(DeliveryLog log, Node node) {
    LogCell cell = new LogCell(log);
    logs.add(cell);
    if (node != null) node.log = cell;
  }

  private static void checkLimit(int limit) {
    if (limit <= 0) throw new IllegalArgumentException("limit must be > 0, got " + limit);
  }

  // ---------------------------------------------------------------- internal types

  private enum Where { NONE, READY, DELAYED, LEASED, PARKED }

  /** One queue entry and its place in the queue structures. Fields other than {@code entry} are guarded by the lock. */
  private static final class Node {
    final long seq;
    volatile QueueEntry entry;
    Where where = Where.NONE;
    /** Sort key in the structure it is in: scheduledAt (ready, delayed) or lease expiry (leased). */
    Instant key;
    /** The entry's latest delivery log, if still kept. */
    LogCell log;

    Node(long seq, QueueEntry entry) {
      this.seq = seq;
      this.entry = entry;
    }
  }

  /** A delivery log; replaced when a webhook moves its delivery status. Guarded by the lock. */
  private static final class LogCell {
    DeliveryLog log;

    LogCell(DeliveryLog log) { this.log = log; }
  }

  /** The last claimed tick of a job; finishedAt is null while its run goes on. */
  private record TickClaim(Instant tick, String owner, Instant claimedAt, Instant leaseUntil, Instant finishedAt) {}

  /** Permits taken in the most recent fixed windows of one key. Guarded by its own monitor. */
  private static final class RateWindows {
    private final TreeMap<Instant, int[]> taken = new TreeMap<>();

    boolean tryAcquire(Instant windowStart, int limit) {
      int[] count = taken.get(windowStart);
      if (count == null) {
        if (taken.size() >= RATE_WINDOWS_KEPT) {
          if (windowStart.isBefore(taken.firstKey())) return false; // forgotten window: refuse rather than over-send
          taken.pollFirstEntry();
        }
        count = new int[1];
        taken.put(windowStart, count);
      }
      if (count[0] >= limit) return false;
      count[0]++;
      return true;
    }
  }
}
