package dev.notify.core;

import dev.notify.core.internal.Check;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A stored bulk campaign: its definition and where it is. Immutable; the campaign runner saves new
 * versions as it moves. {@code cursor} counts targets already read from the {@code TargetSource}, so a
 * restart resumes without re-queuing or skipping anyone.
 */
public final class Campaign {
  private final String id;
  private final String name;
  private final String description;
  private final String ruleName;
  private final String templateKey;
  private final String targetSource;
  private final Map<String, String> targetParams;
  private final Instant scheduledAt;
  private final int batchSize;
  private final Duration batchInterval;
  private final Boolean skipRecipientsInAddressBook;
  private final CampaignState state;
  private final long cursor;
  private final boolean exhausted;
  private final long targets;
  private final long skippedInAddressBook;
  private final long duplicates;
  private final Instant nextBatchAt;
  private final Instant createdAt;
  private final Instant updatedAt;

  private Campaign(Builder b) {
    id = b.id; name = b.name; description = b.description; ruleName = b.ruleName; templateKey = b.templateKey;
    targetSource = b.targetSource; targetParams = b.targetParams; scheduledAt = b.scheduledAt; batchSize = b.batchSize;
    batchInterval = b.batchInterval; skipRecipientsInAddressBook = b.skipRecipientsInAddressBook; state = b.state;
    cursor = b.cursor; exhausted = b.exhausted; targets = b.targets; skippedInAddressBook = b.skippedInAddressBook;
    duplicates = b.duplicates; nextBatchAt = b.nextBatchAt; createdAt = b.createdAt; updatedAt = b.updatedAt;
  }

  public static Builder builder(String id, String name) { return new Builder(id, name); }

  public String id() { return id; }
  public String name() { return name; }
  public String description() { return description; }
  /** Rule whose context and recipients-from-target apply; null when the campaign sends a bare template. */
  public String ruleName() { return ruleName; }
  public String templateKey() { return templateKey; }
  public String targetSource() { return targetSource; }
  public Map<String, String> targetParams() { return targetParams; }
  public Instant scheduledAt() { return scheduledAt; }
  public int batchSize() { return batchSize; }
  public Duration batchInterval() { return batchInterval; }
  /** Default true; a stored campaign without a value (null) reads as true. */
  public boolean skipRecipientsInAddressBook() { return skipRecipientsInAddressBook == null || skipRecipientsInAddressBook; }
  /** The raw stored value, null when never set. */
  public Boolean skipRecipientsInAddressBookRaw() { return skipRecipientsInAddressBook; }
  public CampaignState state() { return state; }
  /** Targets read from the source so far. */
  public long cursor() { return cursor; }
  /** The source has no more targets. */
  public boolean exhausted() { return exhausted; }
  /** Distinct targets seen so far. */
  public long targets() { return targets; }
  public long skippedInAddressBook() { return skippedInAddressBook; }
  /** Targets dropped because the number appeared earlier in the campaign. */
  public long duplicates() { return duplicates; }
  public Instant nextBatchAt() { return nextBatchAt; }
  public Instant createdAt() { return createdAt; }
  public Instant updatedAt() { return updatedAt; }

  public Builder toBuilder() {
    Builder b = new Builder(id, name);
    b.description = description; b.ruleName = ruleName; b.templateKey = templateKey; b.targetSource = targetSource;
    b.targetParams = targetParams; b.scheduledAt = scheduledAt; b.batchSize = batchSize; b.batchInterval = batchInterval;
    b.skipRecipientsInAddressBook = skipRecipientsInAddressBook; b.state = state; b.cursor = cursor; b.exhausted = exhausted;
    b.targets = targets; b.skippedInAddressBook = skippedInAddressBook; b.duplicates = duplicates;
    b.nextBatchAt = nextBatchAt; b.createdAt = createdAt; b.updatedAt = updatedAt;
    return b;
  }

  @Override public boolean equals(Object o) {
    if (this == o) return true;
    if (!(o instanceof Campaign)) return false;
    Campaign c = (Campaign) o;
    return batchSize == c.batchSize && cursor == c.cursor && exhausted == c.exhausted && targets == c.targets
        && skippedInAddressBook == c.skippedInAddressBook && duplicates == c.duplicates && id.equals(c.id)
        && name.equals(c.name) && Objects.equals(description, c.description) && Objects.equals(ruleName, c.ruleName)
        && Objects.equals(templateKey, c.templateKey) && targetSource.equals(c.targetSource)
        && targetParams.equals(c.targetParams) && Objects.equals(scheduledAt, c.scheduledAt)
        && batchInterval.equals(c.batchInterval) && Objects.equals(skipRecipientsInAddressBook, c.skipRecipientsInAddressBook)
        && state == c.state && Objects.equals(nextBatchAt, c.nextBatchAt) && createdAt.equals(c.createdAt)
        && Objects.equals(updatedAt, c.updatedAt);
  }

  @Override public int hashCode() { return id.hashCode(); }

  @Override public String toString() { return "Campaign{" + id + ", " + name + ", " + state + ", cursor=" + cursor + "}"; }

  /** Mutable builder. */
  public static final class Builder {
    private final String id;
    private final String name;
    private String description;
    private String ruleName;
    private String templateKey;
    private String targetSource;
    private Map<String, String> targetParams = Map.of();
    private Instant scheduledAt;
    private int batchSize = 100;
    private Duration batchInterval = Duration.ofMinutes(5);
    private Boolean skipRecipientsInAddressBook;
    private CampaignState state = CampaignState.DRAFT;
    private long cursor;
    private boolean exhausted;
    private long targets;
    private long skippedInAddressBook;
    private long duplicates;
    private Instant nextBatchAt;
    private Instant createdAt;
    private Instant updatedAt;

    private Builder(String id, String name) {
      this.id = Check.notBlank(id, "campaign id");
      this.name = Check.notBlank(name, "campaign name");
    }

    public Builder description(String d) { this.description = d; return this; }
    public Builder ruleName(String r) { this.ruleName = r; return this; }
    public Builder templateKey(String t) { this.templateKey = t; return this; }
    public Builder targetSource(String s) { this.targetSource = Check.notBlank(s, "campaign target source"); return this; }
    public Builder targetParams(Map<String, String> p) { this.targetParams = Map.copyOf(Check.notNull(p, "campaign target params")); return this; }
    public Builder scheduledAt(Instant at) { this.scheduledAt = at; return this; }
    public Builder batchSize(int n) { this.batchSize = Check.positive(n, "campaign batch size"); return this; }
    public Builder batchInterval(Duration d) { this.batchInterval = Check.notNegative(d, "campaign batch interval"); return this; }
    /** Null means "never set" and reads as true. */
    public Builder skipRecipientsInAddressBook(Boolean skip) { this.skipRecipientsInAddressBook = skip; return this; }
    public Builder state(CampaignState s) { this.state = Check.notNull(s, "campaign state"); return this; }
    public Builder cursor(long c) { if (c < 0) throw new IllegalArgumentException("campaign cursor must be >= 0, got " + c); this.cursor = c; return this; }
    public Builder exhausted(boolean e) { this.exhausted = e; return this; }
    public Builder targets(long n) { this.targets = n; return this; }
    public Builder skippedInAddressBook(long n) { this.skippedInAddressBook = n; return this; }
    public Builder duplicates(long n) { this.duplicates = n; return this; }
    public Builder nextBatchAt(Instant at) { this.nextBatchAt = at; return this; }
    public Builder createdAt(Instant at) { this.createdAt = Check.notNull(at, "campaign createdAt"); return this; }
    public Builder updatedAt(Instant at) { this.updatedAt = at; return this; }

    public Campaign build() {
      Check.notBlank(targetSource, "campaign '" + name + "' target source");
      if (ruleName == null && templateKey == null) {
        throw new InvalidDefinitionException("campaign '" + name + "' needs a rule or a template");
      }
      Check.notNull(createdAt, "campaign createdAt");
      return new Campaign(this);
    }
  }
}
