package dev.notify.jdbc.internal;

import dev.notify.core.EntryState;
import dev.notify.core.QueueEntry;
import java.util.ArrayList;
import java.util.List;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Databases without UPDATE ... RETURNING (MariaDB, MySQL) or where two statements are simpler (H2): lock
 * the rows with SELECT ... FOR UPDATE SKIP LOCKED, then one UPDATE by id, in the caller's transaction.
 */
abstract class LockingSelectDialect extends SqlDialect {
  LockingSelectDialect(Tables tables) { super(tables); }

  @Override public List<Rows.EntryRow> claim(Connection c, long now, int limit, String owner, long leaseUntil) throws SQLException {
    List<Rows.EntryRow> rows = selectForClaim(c, now, limit);
    if (rows.isEmpty()) return rows;
    try (PreparedStatement ps = c.prepareStatement(claimUpdateSql(in(rows.size())))) {
      ps.setString(1, owner);
      ps.setLong(2, leaseUntil);
      ps.setLong(3, now);
      for (int i = 0; i < rows.size(); i++) ps.setString(i + 4, rows.get(i).entry().id());
      ps.executeUpdate();
    }
    List<Rows.EntryRow> out = new ArrayList<>(rows.size());
    for (Rows.EntryRow r : rows) {
      QueueEntry e = r.entry().toBuilder().state(EntryState.PROCESSING).lease(owner, Times.instant(leaseUntil))
          .updatedAt(Times.instant(now)).build();
      out.add(r.with(e));
    }
    return out;
  }

  /** The claim's UPDATE of the ids in {@code idList} (owner, lease expiry, now, then the ids). */
  protected String claimUpdateSql(String idList) {
    return "UPDATE " + t.queue + " SET state = 'PROCESSING', lease_owner = ?, lease_expiry = ?, updated_at = ? WHERE id IN "
        + idList;
  }

  /** Selects and locks the rows to claim. */
  protected abstract List<Rows.EntryRow> selectForClaim(Connection c, long now, int limit) throws SQLException;
}
