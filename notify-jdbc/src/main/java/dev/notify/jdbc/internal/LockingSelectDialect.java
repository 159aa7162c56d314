package dev.notify.jdbc.internal;

import dev.notify.core.EntryState;
import dev.notify.core.QueueEntry;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Databases without UPDATE ... RETURNING (MariaDB, MySQL) or where two statements are simpler (H2): lock
 * the rows with SELECT ... FOR UPDATE SKIP LOCKED, then one UPDATE by id, in the caller's transaction.
 */
abstract class LockingSelectDialect extends SqlDialect {
  LockingSelectDialect(Tables tables) { super(tables); }

  @Override public List<Rows.EntryRow> claim(Handle h, long now, int limit, String owner, long leaseUntil) {
    List<Rows.EntryRow> rows = selectForClaim(h, now, limit);
    if (rows.isEmpty()) return rows;
    List<String> ids = new ArrayList<>(rows.size());
    for (Rows.EntryRow r : rows) ids.add(r.entry().id());
    var update = h.createUpdate("UPDATE " + t.queue + " SET state = 'PROCESSING', lease_owner = ?, lease_expiry = ?"
        + " WHERE id IN " + in(ids.size()))
        .bind(0, owner).bind(1, leaseUntil);
    for (int i = 0; i < ids.size(); i++) update.bind(i + 2, ids.get(i));
    update.execute();
    List<Rows.EntryRow> out = new ArrayList<>(rows.size());
    for (Rows.EntryRow r : rows) {
      QueueEntry e = r.entry().toBuilder().state(EntryState.PROCESSING).lease(owner, Times.instant(leaseUntil)).build();
      out.add(new Rows.EntryRow(e, r.corruption()));
    }
    return out;
  }

  /** Selects and locks the rows to claim. */
  protected abstract List<Rows.EntryRow> selectForClaim(Handle h, long now, int limit);
}
