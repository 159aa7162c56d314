package dev.notify.core.internal.jobs;

import dev.notify.core.InvalidCronException;
import dev.notify.core.internal.Check;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Resolves job settings without code changes. Each setting is looked up, first match wins, in:
 * <ol>
 *   <li>explicit values given by the engine builder, keyed by the property name;</li>
 *   <li>the properties source (e.g. a properties file or system properties);</li>
 *   <li>environment variables;</li>
 *   <li>the default.</li>
 * </ol>
 *
 * <p>Names, for a job {@code <name>}:
 * <pre>
 *   notify.job.&lt;name&gt;.cron        NOTIFY_JOB_&lt;NAME&gt;_CRON
 *   notify.job.&lt;name&gt;.enabled     NOTIFY_JOB_&lt;NAME&gt;_ENABLED
 *   notify.log.retention-days      NOTIFY_LOG_RETENTION_DAYS     (default 90)
 *   notify.dispatch.idle-poll      NOTIFY_DISPATCH_IDLE_POLL     (ISO-8601 duration, default PT1S)
 * </pre>
 * In an environment variable name the job name is upper-cased and every character other than a letter or
 * a digit (such as {@code -} and {@code .}) becomes {@code _}: {@code log-cleanup} gives
 * {@code NOTIFY_JOB_LOG_CLEANUP_CRON}.
 *
 * <p>{@code NOTIFY_CAMPAIGN_BATCH_CRON} (the name the design document gives) is an alias of
 * {@code NOTIFY_JOB_CAMPAIGN_BATCHES_CRON}, read only when no other source sets the campaign-batches cron.
 *
 * <p>A value that cannot be read is an {@link IllegalArgumentException} naming the setting, where it came from
 * and the value. Blank values count as absent.
 */
public final class JobConfig {
  /** Built-in job names. */
  public static final String QUEUE_DISPATCH = "queue-dispatch";
  public static final String CAMPAIGN_BATCHES = "campaign-batches";
  public static final String LOG_CLEANUP = "log-cleanup";

  public static final String DEFAULT_CAMPAIGN_BATCHES_CRON = "*/5 * * * *";
  public static final String DEFAULT_LOG_CLEANUP_CRON = "0 2 * * *";
  public static final int DEFAULT_LOG_RETENTION_DAYS = 90;
  /** 100 years: "keep for ever" in practice; more overflowed the cleanup's cutoff at every run. */
  public static final int MAX_LOG_RETENTION_DAYS = 36_500;
  public static final Duration DEFAULT_DISPATCH_IDLE_POLL = Duration.ofSeconds(1);

  /** Alias of {@code NOTIFY_JOB_CAMPAIGN_BATCHES_CRON}; the canonical name wins when both are set. */
  public static final String CAMPAIGN_BATCHES_CRON_ALIAS = "NOTIFY_CAMPAIGN_BATCH_CRON";

  private static final String JOB_PROPERTY_PREFIX = "notify.job.";
  private static final String JOB_VARIABLE_PREFIX = "NOTIFY_JOB_";
  private static final List<String> JOB_SETTINGS = List.of("cron", "enabled");

  public static final String LOG_RETENTION_DAYS = "notify.log.retention-days";
  public static final String DISPATCH_IDLE_POLL = "notify.dispatch.idle-poll";

  private final Map<String, String> explicit;
  private final Function<String, String> properties;
  private final Function<String, String> environment;

  /**
   * @param explicit values from the engine builder, keyed by property name (e.g. {@code notify.job.log-cleanup.cron})
   * @param properties property lookup, e.g. {@code props::getProperty}; returns null when absent
   * @param environment environment lookup, e.g. {@code System::getenv}; returns null when absent
   */
  public JobConfig(Map<String, String> explicit, Function<String, String> properties, Function<String, String> environment) {
    this.explicit = Map.copyOf(Check.notNull(explicit, "explicit job settings"));
    this.properties = Check.notNull(properties, "properties source");
    this.environment = Check.notNull(environment, "environment source");
  }

  /** Explicit values, then system properties, then the process environment. */
  public static JobConfig fromSystem(Map<String, String> explicit) {
    return new JobConfig(explicit, System::getProperty, System::getenv);
  }

  /** The property name of a job setting: {@code notify.job.<name>.<setting>}. */
  public static String propertyName(String job, String setting) {
    return "notify.job." + job + "." + setting;
  }

  /** The environment variable for a property name: upper case, non-alphanumerics as {@code _}. */
  public static String envName(String propertyName) {
    return propertyName.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  /** The job's cron expression (not yet validated: {@link CronSchedule#parse} does that). */
  public String cron(String job, String defaultCron) {
    return lookup(propertyName(job, "cron")).map(Value::text).orElse(defaultCron);
  }

  /**
   * The job's cron schedule in {@code zone}: the configured expression, else {@code defaultCron}.
   *
   * @throws InvalidCronException naming the job, the expression and, for a configured one, where it came from
   *     (e.g. {@code environment variable NOTIFY_JOB_LOG_CLEANUP_CRON})
   */
  public CronSchedule schedule(String job, String defaultCron, ZoneId zone) {
    Optional<Value> configured = lookup(propertyName(job, "cron"));
    try {
      return CronSchedule.parse(job, configured.map(Value::text).orElse(defaultCron), zone);
    } catch (InvalidCronException e) {
      if (configured.isEmpty()) throw e;
      throw new InvalidCronException(e.getMessage() + " (from " + configured.get().source() + ")", e);
    }
  }

  /** Whether the job is enabled by configuration ({@code true}/{@code false}, any case). */
  public boolean enabled(String job, boolean defaultEnabled) {
    return lookup(propertyName(job, "enabled")).map(v -> {
      String t = v.text().trim().toLowerCase(Locale.ROOT);
      if (t.equals("true")) return true;
      if (t.equals("false")) return false;
      throw v.invalid("expected true or false");
    }).orElse(defaultEnabled);
  }

  /** How long delivery logs are kept ({@value #LOG_RETENTION_DAYS}, whole days &gt; 0). */
  public Duration logRetention() {
    return lookup(LOG_RETENTION_DAYS).map(v -> {
      try {
        long days = Long.parseLong(v.text().trim());
        if (days <= 0 || days > MAX_LOG_RETENTION_DAYS) throw v.invalid("expected a number of days from 1 to " + MAX_LOG_RETENTION_DAYS);
        return Duration.ofDays(days);
      } catch (NumberFormatException e) {
        throw v.invalid("expected a number of days from 1 to " + MAX_LOG_RETENTION_DAYS);
      }
    }).orElse(Duration.ofDays(DEFAULT_LOG_RETENTION_DAYS));
  }

  /** How long the dispatcher sleeps when the queue is idle ({@value #DISPATCH_IDLE_POLL}, ISO-8601, &gt; 0). */
  public Duration dispatchIdlePoll() {
    return lookup(DISPATCH_IDLE_POLL).map(v -> {
      try {
        Duration d = Duration.parse(v.text().trim());
        if (d.isNegative() || d.isZero()) throw v.invalid("expected a positive ISO-8601 duration such as PT1S");
        return d;
      } catch (DateTimeParseException e) {
        throw v.invalid("expected a positive ISO-8601 duration such as PT1S");
      }
    }).orElse(DEFAULT_DISPATCH_IDLE_POLL);
  }

  /** The raw value of {@code propertyName} and where it came from, or empty. */
  Optional<Value> lookup(String propertyName) {
    String v = explicit.get(propertyName);
    if (present(v)) return Optional.of(new Value(propertyName, "builder setting " + propertyName, v));
    v = properties.apply(propertyName);
    if (present(v)) return Optional.of(new Value(propertyName, "property " + propertyName, v));
    String env = envName(propertyName);
    v = environment.apply(env);
    if (present(v)) return Optional.of(new Value(propertyName, "environment variable " + env, v));
    if (propertyName.equals(propertyName(CAMPAIGN_BATCHES, "cron"))) {
      v = environment.apply(CAMPAIGN_BATCHES_CRON_ALIAS);
      if (present(v)) return Optional.of(new Value(propertyName, "environment variable " + CAMPAIGN_BATCHES_CRON_ALIAS, v));
    }
    return Optional.empty();
  }

  /**
   * The job settings set (not blank) in properties or the environment that name none of {@code jobs}, e.g.
   * {@code property notify.job.campaign-batchs.cron} or {@code environment variable NOTIFY_JOB_CAMPAIGN_BATCH_CRON}:
   * a misspelled name, or a setting other than {@code cron} and {@code enabled}, that would change nothing.
   *
   * @param jobs every job name (engine jobs and CRON trigger codes)
   * @param propertyNames the names in the properties source
   * @param environmentNames the names in the environment; empty when it cannot be listed
   */
  public List<String> settingsNamingNoJob(Collection<String> jobs, Collection<String> propertyNames,
                                          Collection<String> environmentNames) {
    Set<String> knownProperties = new HashSet<>();
    for (String job : jobs) for (String setting : JOB_SETTINGS) knownProperties.add(propertyName(job, setting));
    Set<String> knownVariables = new HashSet<>();
    for (String p : knownProperties) knownVariables.add(envName(p));
    List<String> unknown = new ArrayList<>();
    new TreeSet<>(propertyNames).forEach(p -> {
      if (p.startsWith(JOB_PROPERTY_PREFIX) && !knownProperties.contains(p) && present(properties.apply(p))) {
        unknown.add("property " + p);
      }
    });
    new TreeSet<>(environmentNames).forEach(e -> {
      if (e.startsWith(JOB_VARIABLE_PREFIX) && !knownVariables.contains(e) && present(environment.apply(e))) {
        unknown.add("environment variable " + e);
      }
    });
    return unknown;
  }

  private static boolean present(String v) {
    return v != null && !v.isBlank();
  }

  /** A configured value and its source, e.g. "environment variable NOTIFY_JOB_LOG_CLEANUP_CRON". */
  record Value(String propertyName, String source, String text) {
    Value {
      Objects.requireNonNull(text);
    }

    IllegalArgumentException invalid(String why) {
      return new IllegalArgumentException(source + ": invalid value '" + text + "': " + why);
    }
  }
}
