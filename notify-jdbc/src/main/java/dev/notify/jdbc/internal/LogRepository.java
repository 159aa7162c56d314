package dev.notify.jdbc.internal;

import dev.notify.core.DeliveryLog;
import dev.notify.core.spi.LogQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.statement.Query;

/** Delivery logs. */
public final class LogRepository {
  private final Db db;
  private final Tables t;

  public LogRepository(Db db) {
    this.db = db;
    this.t = db.t;
  }

  /** @param transaction null, or the host's transaction the rows join (as the queue rows of the same fire do) */
  public void appendLogs(List<DeliveryLog> logs, Object transaction) {
    if (transaction != null) Db.hostConnection(transaction); // refuses an unknown type, also with no logs
    if (logs.isEmpty()) return;
    boolean atomic = !db.dialect.oneStatementWrites() && logs.size() > 1;
    db.run(transaction, atomic, c -> {
      db.dialect.insertLogs(c, logs);
      return null;
    });
  }

  public List<DeliveryLog> logs(LogQuery query) {
    StringBuilder sql = new StringBuilder("SELECT " + Rows.LOG_COLUMNS + " FROM " + t.log + " WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (query.from() != null) { sql.append(" AND created_at >= ?"); args.add(Times.micros(query.from())); }
    if (query.to() != null) { sql.append(" AND created_at < ?"); args.add(Times.micros(query.to())); }
    if (query.ruleName() != null) { sql.append(" AND rule_name = ?"); args.add(query.ruleName()); }
    if (query.campaignId() != null) { sql.append(" AND campaign_id = ?"); args.add(query.campaignId()); }
    if (query.state() != null) { sql.append(" AND state = ?"); args.add(query.state().name()); }
    if (query.phone() != null) { sql.append(" AND phone = ?"); args.add(query.phone()); }
    sql.append(" ORDER BY created_at, id LIMIT ?");
    args.add(query.limit());
    return db.jdbi.withHandle(h -> {
      Query q = h.createQuery(sql.toString());
      for (int i = 0; i < args.size(); i++) {
        Object a = args.get(i);
        if (a instanceof Long) q.bind(i, (Long) a);
        else if (a instanceof Integer) q.bind(i, (Integer) a);
        else q.bind(i, (String) a);
      }
      return q.map((rs, ctx) -> Rows.log(rs)).list();
    });
  }

  /**
   * Deletes logs before {@code cutoff}; also drops dedupe keys expired and rate windows begun before it, except each
   * key's latest window, which may still be running (a limit's period may be longer than the log retention).
   */
  public int deleteLogsBefore(Instant cutoff) {
    long c = Times.micros(cutoff);
    // logs in batches, oldest first (one statement over a busy day's logs was one large transaction)
    int n = db.deleteOldestInBatches(t.log, t.prefix + "log_created_idx", "created_at < :cutoff", c);
    db.jdbi.useHandle(h -> {
      h.createUpdate("DELETE FROM " + t.dedupe + " WHERE expires_at < ?").bind(0, c).execute();
      h.createUpdate(db.dialect.deleteEndedRateWindowsSql()).bind(0, c).execute();
    });
    return n;
  }
}
