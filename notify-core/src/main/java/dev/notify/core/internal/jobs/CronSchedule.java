package dev.notify.core.internal.jobs;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.notify.core.InvalidCronException;
import dev.notify.core.internal.Check;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * A parsed cron expression evaluated in a time zone.
 *
 * <p>Syntax: the Unix 5-field form operators use ({@code minute hour day-of-month month day-of-week}, e.g.
 * {@code *}{@code /2 * * * *} or {@code 0 7 * * 1}); an expression with 6 fields is read in the Spring form,
 * with seconds first ({@code second minute hour day-of-month month day-of-week}, e.g. {@code 0 0 7 * * MON}).
 * Parsing is done by cron-utils ({@link CronType#UNIX} and {@link CronType#SPRING}).
 */
public final class CronSchedule {
  private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final CronParser SPRING = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING));

  private final String expression;
  private final ZoneId zone;
  private final ExecutionTime executionTime;

  private CronSchedule(String expression, ZoneId zone, ExecutionTime executionTime) {
    this.expression = expression;
    this.zone = zone;
    this.executionTime = executionTime;
  }

  /**
   * Parses {@code expression} for the job {@code job}.
   *
   * @throws InvalidCronException "job 'x': invalid cron expression '...': why"
   */
  public static CronSchedule parse(String job, String expression, ZoneId zone) {
    Check.notNull(zone, "cron time zone");
    if (expression == null || expression.isBlank()) {
      throw invalid(job, expression, "it is empty");
    }
    String trimmed = expression.trim();
    int fields = trimmed.split("\\s+").length;
    CronParser parser;
    if (fields == 5) parser = UNIX;
    else if (fields == 6) parser = SPRING;
    else {
      throw invalid(job, expression, "expected 5 fields (minute hour day-of-month month day-of-week) "
          + "or 6 with seconds first, got " + fields);
    }
    try {
      Cron cron = parser.parse(trimmed).validate();
      ExecutionTime executionTime = ExecutionTime.forCron(cron);
      // "0 8 31 4 *" (31 April) parses, but its job would never run, silently
      if (executionTime.nextExecution(ZonedDateTime.of(2000, 1, 1, 0, 0, 0, 0, zone)).isEmpty()) {
        throw invalid(job, expression, "it never fires (no such date)");
      }
      return new CronSchedule(trimmed, zone, executionTime);
    } catch (IllegalArgumentException e) {
      throw invalid(job, expression, e.getMessage());
    }
  }

  private static InvalidCronException invalid(String job, String expression, String why) {
    String shown = expression == null ? "null" : "'" + expression + "'";
    return new InvalidCronException("job '" + job + "': invalid cron expression " + shown + ": " + why);
  }

  /** The expression as given (trimmed). */
  public String expression() {
    return expression;
  }

  public ZoneId zone() {
    return zone;
  }

  /** The first tick strictly after {@code instant}; empty if the expression never fires again. */
  public Optional<Instant> nextAfter(Instant instant) {
    return executionTime.nextExecution(ZonedDateTime.ofInstant(instant, zone)).map(ZonedDateTime::toInstant);
  }

  /** The latest tick at or before {@code instant}; empty if there is none. */
  public Optional<Instant> latestAtOrBefore(Instant instant) {
    // cron-utils' lastExecution is strictly before its argument.
    return executionTime.lastExecution(ZonedDateTime.ofInstant(instant.plusNanos(1), zone)).map(ZonedDateTime::toInstant);
  }

  @Override
  public String toString() {
    return expression + " (" + zone + ")";
  }
}
