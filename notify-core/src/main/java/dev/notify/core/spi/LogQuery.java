package dev.notify.core.spi;

import dev.notify.core.EntryState;
import java.time.Instant;

/**
 * Filters for reading delivery logs; null fields do not filter. Results are ordered by createdAt, then id.
 *
 * @param from inclusive
 * @param to exclusive
 * @param ruleName rule
 * @param campaignId campaign
 * @param state terminal state
 * @param phone E.164 phone
 * @param limit max rows (> 0)
 */
public record LogQuery(Instant from, Instant to, String ruleName, String campaignId, EntryState state, String phone, int limit) {
  public LogQuery {
    if (limit <= 0) throw new IllegalArgumentException("log query limit must be > 0, got " + limit);
  }

  public static LogQuery all() { return new LogQuery(null, null, null, null, null, null, Integer.MAX_VALUE); }

  public static LogQuery between(Instant from, Instant to) { return new LogQuery(from, to, null, null, null, null, Integer.MAX_VALUE); }

  public LogQuery withRule(String rule) { return new LogQuery(from, to, rule, campaignId, state, phone, limit); }
  public LogQuery withCampaign(String c) { return new LogQuery(from, to, ruleName, c, state, phone, limit); }
  public LogQuery withState(EntryState s) { return new LogQuery(from, to, ruleName, campaignId, s, phone, limit); }
  public LogQuery withPhone(String p) { return new LogQuery(from, to, ruleName, campaignId, state, p, limit); }
  public LogQuery withLimit(int l) { return new LogQuery(from, to, ruleName, campaignId, state, phone, l); }
}
