package dev.notify.core;

import dev.notify.core.internal.Check;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a new campaign sends, to whom and at which pace; hand it to {@link Campaigns#create(CampaignSpec)}.
 * Immutable; build with {@link #builder(String)}.
 *
 * <p>A campaign sends either through a <b>rule</b> (each target is the rule's {@code record}: its context,
 * recipients, schedule, priority, retries and blacklist setting apply) or a bare <b>template</b> (each
 * target is a {@link Recipient}, or a record whose {@code phone} and optional {@code name} fields address
 * it and whose fields are the template values). Given both, the template replaces the rule's template.
 *
 * <pre>{@code
 * CampaignSpec.builder("peringatan_masa_berlaku_30_hari")
 *     .template("permit_reminder")
 *     .targets("expiring_permits", Map.of("days", "30"))
 *     .batchSize(100).batchInterval(Duration.ofMinutes(5))
 *     .build();
 * }</pre>
 */
public final class CampaignSpec {
  /** Largest batch: a batch is held in memory while it is enqueued. */
  public static final int MAX_BATCH_SIZE = 100_000;
  /** Default targets per batch. */
  public static final int DEFAULT_BATCH_SIZE = 100;
  /** Default time between the starts of two batches. */
  public static final Duration DEFAULT_BATCH_INTERVAL = Duration.ofMinutes(5);

  private final String name;
  private final String description;
  private final String ruleName;
  private final String templateKey;
  private final String targetSource;
  private final Map<String, String> targetParams;
  private final Instant scheduledAt;
  private final int batchSize;
  private final Duration batchInterval;
  private final boolean skipRecipientsInAddressBook;

  private CampaignSpec(Builder b) {
    name = b.name; description = b.description; ruleName = b.ruleName; templateKey = b.templateKey;
    targetSource = b.targetSource; targetParams = b.targetParams; scheduledAt = b.scheduledAt; batchSize = b.batchSize;
    batchInterval = b.batchInterval; skipRecipientsInAddressBook = b.skipRecipientsInAddressBook;
  }

  /** A builder for a campaign called {@code name} (a label for operators; need not be unique). */
  public static Builder builder(String name) { return new Builder(name); }

  public String name() { return name; }
  public Optional<String> description() { return Optional.ofNullable(description); }
  /** The rule applied to each target, if any. */
  public Optional<String> ruleName() { return Optional.ofNullable(ruleName); }
  /** The template sent (or the rule's template replacement), if any. */
  public Optional<String> templateKey() { return Optional.ofNullable(templateKey); }
  /** Name of a {@code TargetSource} registered on the engine builder. */
  public String targetSource() { return targetSource; }
  /** Parameters handed to the target source. */
  public Map<String, String> targetParams() { return targetParams; }
  /** When {@link Campaigns#start} should start sending; empty for "as soon as started". */
  public Optional<Instant> scheduledAt() { return Optional.ofNullable(scheduledAt); }
  public int batchSize() { return batchSize; }
  public Duration batchInterval() { return batchInterval; }
  /** Whether numbers the host's {@code AddressBook} knows are skipped (default true). */
  public boolean skipRecipientsInAddressBook() { return skipRecipientsInAddressBook; }

  @Override public boolean equals(Object o) {
    if (this == o) return true;
    if (!(o instanceof CampaignSpec)) return false;
    CampaignSpec s = (CampaignSpec) o;
    return batchSize == s.batchSize && skipRecipientsInAddressBook == s.skipRecipientsInAddressBook && name.equals(s.name)
        && Objects.equals(description, s.description) && Objects.equals(ruleName, s.ruleName)
        && Objects.equals(templateKey, s.templateKey) && targetSource.equals(s.targetSource)
        && targetParams.equals(s.targetParams) && Objects.equals(scheduledAt, s.scheduledAt)
        && batchInterval.equals(s.batchInterval);
  }

  @Override public int hashCode() { return Objects.hash(name, ruleName, templateKey, targetSource, targetParams); }

  @Override public String toString() {
    return "CampaignSpec{" + name + ", " + (ruleName != null ? "rule " + ruleName : "template " + templateKey)
        + ", targets " + targetSource + ", batch " + batchSize + "/" + batchInterval + "}";
  }

  /**
   * Mutable builder. Each setter checks its value ({@link IllegalArgumentException}); the rule, the template
   * and the targets may be set once ({@link IllegalStateException} on a second call).
   */
  public static final class Builder {
    private final String name;
    private String description;
    private String ruleName;
    private String templateKey;
    private String targetSource;
    private Map<String, String> targetParams = Map.of();
    private Instant scheduledAt;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private Duration batchInterval = DEFAULT_BATCH_INTERVAL;
    private boolean skipRecipientsInAddressBook = true;

    private Builder(String name) {
      this.name = Check.notBlank(name, "campaign name");
    }

    public Builder description(String description) { this.description = description; return this; }

    /** Sends through this rule: each target becomes the rule's {@code record}. */
    public Builder rule(String ruleName) {
      Check.notBlank(ruleName, "campaign '" + name + "' rule");
      if (this.ruleName != null) throw new IllegalStateException("campaign '" + name + "' rule already set to '" + this.ruleName + "'");
      this.ruleName = ruleName;
      return this;
    }

    /** Sends this template; with {@link #rule} it replaces the rule's template. */
    public Builder template(String templateKey) {
      Check.notBlank(templateKey, "campaign '" + name + "' template");
      if (this.templateKey != null) {
        throw new IllegalStateException("campaign '" + name + "' template already set to '" + this.templateKey + "'");
      }
      this.templateKey = templateKey;
      return this;
    }

    /** Reads targets from the named {@code TargetSource} without parameters. */
    public Builder targets(String targetSource) { return targets(targetSource, Map.of()); }

    /** Reads targets from the named {@code TargetSource} with these parameters. */
    public Builder targets(String targetSource, Map<String, String> params) {
      Check.notBlank(targetSource, "campaign '" + name + "' target source");
      Check.notNull(params, "campaign '" + name + "' target params");
      if (this.targetSource != null) {
        throw new IllegalStateException("campaign '" + name + "' targets already set to '" + this.targetSource + "'");
      }
      params.forEach((k, v) -> {
        if (k == null || v == null) {
          throw new IllegalArgumentException("campaign '" + name + "' target params must not hold null, got " + k + "=" + v);
        }
      });
      this.targetSource = targetSource;
      this.targetParams = Map.copyOf(params);
      return this;
    }

    /** Start no earlier than this; a campaign started before it waits in SCHEDULED. Null clears it. */
    public Builder scheduledAt(Instant at) { this.scheduledAt = at; return this; }

    /** Targets read and enqueued per batch, 1 to {@value #MAX_BATCH_SIZE} (default {@value #DEFAULT_BATCH_SIZE}). */
    public Builder batchSize(int size) {
      if (size <= 0 || size > MAX_BATCH_SIZE) {
        throw new IllegalArgumentException("campaign '" + name + "' batch size must be between 1 and " + MAX_BATCH_SIZE + ", got " + size);
      }
      this.batchSize = size;
      return this;
    }

    /** Minimum time between the starts of two batches, zero or more (default 5 minutes). */
    public Builder batchInterval(Duration interval) {
      this.batchInterval = Check.notNegative(interval, "campaign '" + name + "' batch interval");
      return this;
    }

    /**
     * Whether numbers the host's {@code AddressBook} already knows are skipped and logged SKIPPED with reason
     * {@code in_address_book} (default true), or sent like any other.
     */
    public Builder skipRecipientsInAddressBook(boolean skip) { this.skipRecipientsInAddressBook = skip; return this; }

    /** @throws IllegalStateException when the targets, or both rule and template, are missing */
    public CampaignSpec build() {
      if (targetSource == null) throw new IllegalStateException("campaign '" + name + "' needs targets(sourceName, params)");
      if (ruleName == null && templateKey == null) {
        throw new IllegalStateException("campaign '" + name + "' needs a rule(name) or a template(key)");
      }
      return new CampaignSpec(this);
    }
  }
}
