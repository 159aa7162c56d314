package dev.notify.core;

import dev.notify.core.internal.Check;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;

/**
 * A daily window in which nothing is sent (e.g. 21:00 to 07:00 Asia/Jakarta); entries due inside it are
 * postponed to its end. The window may cross midnight.
 */
public record QuietHours(LocalTime start, LocalTime end, ZoneId zone) {
  public QuietHours {
    Check.notNull(start, "quiet hours start");
    Check.notNull(end, "quiet hours end");
    Check.notNull(zone, "quiet hours zone");
    if (start.equals(end)) throw new IllegalArgumentException("quiet hours start and end must differ, got " + start);
  }

  public static QuietHours of(LocalTime start, LocalTime end, ZoneId zone) { return new QuietHours(start, end, zone); }

  /** Whether {@code instant} falls inside the window. */
  public boolean contains(Instant instant) {
    LocalTime t = instant.atZone(zone).toLocalTime();
    return start.isBefore(end) ? !t.isBefore(start) && t.isBefore(end) : !t.isBefore(start) || t.isBefore(end);
  }

  /**
   * The first instant at or after {@code instant} outside the window. When the window's end falls in a daylight-saving
   * gap that day (a zone with DST), that is the end of the gap (before, the end moved on by the gap's length).
   */
  public Instant nextAllowed(Instant instant) {
    if (!contains(instant)) return instant;
    ZonedDateTime z = instant.atZone(zone);
    Instant at = endOn(z.toLocalDate().atTime(end), z);
    return at.isAfter(instant) ? at : endOn(z.toLocalDate().plusDays(1).atTime(end), z);
  }

  /** The end on a day: in a gap, the gap's end; in an overlap, at {@code now}'s offset (in the second pass, the second). */
  private Instant endOn(LocalDateTime end, ZonedDateTime now) {
    ZoneOffsetTransition gap = zone.getRules().getTransition(end);
    if (gap != null && gap.isGap()) return gap.getInstant();
    return ZonedDateTime.ofLocal(end, zone, now.getOffset()).toInstant();
  }
}
