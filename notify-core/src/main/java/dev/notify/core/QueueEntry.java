package dev.notify.core;

import dev.notify.core.internal.Check;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One notification in the outbox. Immutable; stores return new instances as it moves through its states.
 */
public final class QueueEntry {
  private final String id;
  private final String ruleName;
  private final String campaignId;
  private final Recipient recipient;
  private final String subjectType;
  private final String subjectId;
  private final String templateKey;
  private final Map<String, String> context;
  private final Instant scheduledAt;
  private final int priority;
  private final EntryState state;
  private final DeliveryStatus deliveryStatus;
  private final int attempts;
  private final int maxRetries;
  private final boolean respectBlacklist;
  private final String lastError;
  private final String provider;
  private final String externalId;
  private final String leaseOwner;
  private final Instant leaseExpiry;
  private final String dedupeKey;
  private final Instant createdAt;
  private final Instant updatedAt;

  private QueueEntry(Builder b) {
    this.id = b.id;
    this.ruleName = b.ruleName;
    this.campaignId = b.campaignId;
    this.recipient = b.recipient;
    this.subjectType = b.subjectType;
    this.subjectId = b.subjectId;
    this.templateKey = b.templateKey;
    this.context = b.context;
    this.scheduledAt = b.scheduledAt;
    this.priority = b.priority;
    this.state = b.state;
    this.deliveryStatus = b.deliveryStatus;
    this.attempts = b.attempts;
    this.maxRetries = b.maxRetries;
    this.respectBlacklist = b.respectBlacklist;
    this.lastError = b.lastError;
    this.provider = b.provider;
    this.externalId = b.externalId;
    this.leaseOwner = b.leaseOwner;
    this.leaseExpiry = b.leaseExpiry;
    this.dedupeKey = b.dedupeKey;
    this.createdAt = b.createdAt;
    this.updatedAt = b.updatedAt;
  }

  public static Builder builder() { return new Builder(); }

  public String id() { return id; }
  /** The rule that queued it, or null for a campaign sending a bare template. */
  public String ruleName() { return ruleName; }
  public String campaignId() { return campaignId; }
  public Recipient recipient() { return recipient; }
  public String subjectType() { return subjectType; }
  public String subjectId() { return subjectId; }
  public String templateKey() { return templateKey; }
  /** Template values (unmodifiable). */
  public Map<String, String> context() { return context; }
  public Instant scheduledAt() { return scheduledAt; }
  public int priority() { return priority; }
  public EntryState state() { return state; }
  public DeliveryStatus deliveryStatus() { return deliveryStatus; }
  /** Provider calls made so far. */
  public int attempts() { return attempts; }
  public int maxRetries() { return maxRetries; }
  public boolean respectBlacklist() { return respectBlacklist; }
  public String lastError() { return lastError; }
  public String provider() { return provider; }
  public String externalId() { return externalId; }
  public String leaseOwner() { return leaseOwner; }
  public Instant leaseExpiry() { return leaseExpiry; }
  public String dedupeKey() { return dedupeKey; }
  public Instant createdAt() { return createdAt; }
  public Instant updatedAt() { return updatedAt; }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.id = id; b.ruleName = ruleName; b.campaignId = campaignId; b.recipient = recipient; b.subjectType = subjectType;
    b.subjectId = subjectId; b.templateKey = templateKey; b.context = context; b.scheduledAt = scheduledAt;
    b.priority = priority; b.state = state; b.deliveryStatus = deliveryStatus; b.attempts = attempts;
    b.maxRetries = maxRetries; b.respectBlacklist = respectBlacklist; b.lastError = lastError; b.provider = provider;
    b.externalId = externalId; b.leaseOwner = leaseOwner; b.leaseExpiry = leaseExpiry; b.dedupeKey = dedupeKey;
    b.createdAt = createdAt; b.updatedAt = updatedAt;
    return b;
  }

  @Override public boolean equals(Object o) {
    if (this == o) return true;
    if (!(o instanceof QueueEntry)) return false;
    QueueEntry e = (QueueEntry) o;
    return priority == e.priority && attempts == e.attempts && maxRetries == e.maxRetries
        && respectBlacklist == e.respectBlacklist && id.equals(e.id) && Objects.equals(ruleName, e.ruleName)
        && Objects.equals(campaignId, e.campaignId) && recipient.equals(e.recipient)
        && Objects.equals(subjectType, e.subjectType) && Objects.equals(subjectId, e.subjectId)
        && templateKey.equals(e.templateKey) && context.equals(e.context) && scheduledAt.equals(e.scheduledAt)
        && state == e.state && deliveryStatus == e.deliveryStatus && Objects.equals(lastError, e.lastError)
        && Objects.equals(provider, e.provider) && Objects.equals(externalId, e.externalId)
        && Objects.equals(leaseOwner, e.leaseOwner) && Objects.equals(leaseExpiry, e.leaseExpiry)
        && Objects.equals(dedupeKey, e.dedupeKey) && createdAt.equals(e.createdAt) && Objects.equals(updatedAt, e.updatedAt);
  }

  @Override public int hashCode() { return id.hashCode(); }

  @Override public String toString() {
    return "QueueEntry{" + id + ", " + state + ", rule=" + ruleName + (campaignId == null ? "" : ", campaign=" + campaignId)
        + ", to=" + dev.notify.core.internal.Phones.mask(recipient.phone()) + ", attempts=" + attempts + "}";
  }

  /** Mutable builder. */
  public static final class Builder {
    private String id;
    private String ruleName;
    private String campaignId;
    private Recipient recipient;
    private String subjectType;
    private String subjectId;
    private String templateKey;
    private Map<String, String> context = Map.of();
    private Instant scheduledAt;
    private int priority = Rule.DEFAULT_PRIORITY;
    private EntryState state = EntryState.PENDING;
    private DeliveryStatus deliveryStatus = DeliveryStatus.NONE;
    private int attempts;
    private int maxRetries = Rule.DEFAULT_MAX_RETRIES;
    private boolean respectBlacklist = true;
    private String lastError;
    private String provider;
    private String externalId;
    private String leaseOwner;
    private Instant leaseExpiry;
    private String dedupeKey;
    private Instant createdAt;
    private Instant updatedAt;

    private Builder() {}

    public Builder id(String id) { this.id = Check.notBlank(id, "entry id"); return this; }
    public Builder ruleName(String ruleName) { this.ruleName = ruleName; return this; }
    public Builder campaignId(String campaignId) { this.campaignId = campaignId; return this; }
    public Builder recipient(Recipient recipient) { this.recipient = Check.notNull(recipient, "entry recipient"); return this; }
    public Builder subject(String type, String id) { this.subjectType = type; this.subjectId = id; return this; }
    public Builder templateKey(String key) { this.templateKey = Check.notBlank(key, "entry template key"); return this; }

    public Builder context(Map<String, String> context) {
      Check.notNull(context, "entry context");
      this.context = Map.copyOf(context); // immutable; a no-op for a map that already is
      return this;
    }

    public Builder scheduledAt(Instant at) { this.scheduledAt = Check.notNull(at, "entry scheduledAt"); return this; }
    public Builder priority(int priority) { this.priority = priority; return this; }
    public Builder state(EntryState state) { this.state = Check.notNull(state, "entry state"); return this; }
    public Builder deliveryStatus(DeliveryStatus s) { this.deliveryStatus = Check.notNull(s, "entry delivery status"); return this; }
    public Builder attempts(int attempts) { this.attempts = Check.notNegative(attempts, "entry attempts"); return this; }
    public Builder maxRetries(int maxRetries) { this.maxRetries = Check.notNegative(maxRetries, "entry maxRetries"); return this; }
    public Builder respectBlacklist(boolean respect) { this.respectBlacklist = respect; return this; }
    public Builder lastError(String lastError) { this.lastError = lastError; return this; }
    public Builder provider(String provider) { this.provider = provider; return this; }
    public Builder externalId(String externalId) { this.externalId = externalId; return this; }
    public Builder lease(String owner, Instant expiry) { this.leaseOwner = owner; this.leaseExpiry = expiry; return this; }
    public Builder dedupeKey(String dedupeKey) { this.dedupeKey = dedupeKey; return this; }
    public Builder createdAt(Instant at) { this.createdAt = Check.notNull(at, "entry createdAt"); return this; }
    public Builder updatedAt(Instant at) { this.updatedAt = at; return this; }

    public QueueEntry build() {
      Check.notBlank(id, "entry id");
      Check.notNull(recipient, "entry recipient");
      Check.notBlank(templateKey, "entry template key");
      Check.notNull(scheduledAt, "entry scheduledAt");
      if (createdAt == null) createdAt = scheduledAt;
      return new QueueEntry(this);
    }
  }
}
