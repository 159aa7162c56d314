package dev.notify.jdbc.internal;

import dev.notify.core.BlacklistEntry;
import dev.notify.core.Campaign;
import dev.notify.core.CampaignState;
import dev.notify.core.Rule;
import dev.notify.core.StoreException;
import dev.notify.core.Trigger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Triggers, rules, the blacklist and campaigns: rows replaced by key. */
public final class RecordRepository {
  private static final Logger LOG = LoggerFactory.getLogger(RecordRepository.class);

  private final Db db;
  private final Tables t;

  public RecordRepository(Db db) {
    this.db = db;
    this.t = db.t;
  }

  // ---- triggers ----

  public void saveTrigger(Trigger trigger) {
    String json = JsonCodec.trigger(trigger);
    db.jdbi.useHandle(h -> h.createUpdate(db.dialect.upsert(t.triggers, "code", "code, definition"))
        .bind(0, trigger.code()).bind(1, json).execute());
  }

  public Optional<Trigger> findTrigger(String code) {
    return db.jdbi.withHandle(h -> h.createQuery("SELECT definition FROM " + t.triggers + " WHERE code = ?")
        .bind(0, code).mapTo(String.class).findOne().map(JsonCodec::trigger));
  }

  public List<Trigger> triggers() {
    return db.jdbi.withHandle(h -> h.createQuery("SELECT definition FROM " + t.triggers + " ORDER BY code")
        .map((rs, ctx) -> JsonCodec.trigger(rs.getString(1))).list());
  }

  public boolean deleteTrigger(String code) {
    return db.jdbi.withHandle(h -> h.createUpdate("DELETE FROM " + t.triggers + " WHERE code = ?").bind(0, code).execute() > 0);
  }

  // ---- rules ----

  public void saveRule(Rule rule) {
    String json = JsonCodec.rule(rule);
    db.jdbi.useHandle(h -> h.createUpdate(db.dialect.upsert(t.rules, "name", "name, trigger_code, definition"))
        .bind(0, rule.name()).bind(1, rule.trigger()).bind(2, json).execute());
  }

  public Optional<Rule> findRule(String name) {
    return db.jdbi.withHandle(h -> h.createQuery("SELECT definition FROM " + t.rules + " WHERE name = ?")
        .bind(0, name).mapTo(String.class).findOne().map(JsonCodec::rule));
  }

  public List<Rule> rules() {
    return db.jdbi.withHandle(h -> h.createQuery("SELECT definition FROM " + t.rules + " ORDER BY name")
        .map((rs, ctx) -> JsonCodec.rule(rs.getString(1))).list());
  }

  public boolean deleteRule(String name) {
    return db.jdbi.withHandle(h -> h.createUpdate("DELETE FROM " + t.rules + " WHERE name = ?").bind(0, name).execute() > 0);
  }

  // ---- blacklist ----

  public void saveBlacklist(BlacklistEntry entry) {
    db.jdbi.useHandle(h -> Rows.bindBlacklist(h.createUpdate(db.dialect.upsert(t.blacklist, "phone", Rows.BLACKLIST_COLUMNS)), entry)
        .execute());
  }

  public Optional<BlacklistEntry> findBlacklist(String phone) {
    return db.jdbi.withHandle(h -> h.createQuery("SELECT " + Rows.BLACKLIST_COLUMNS + " FROM " + t.blacklist + " WHERE phone = ?")
        .bind(0, phone).map((rs, ctx) -> Rows.blacklist(rs)).findOne());
  }

  public List<BlacklistEntry> blacklist() {
    return db.jdbi.withHandle(h -> h.createQuery("SELECT " + Rows.BLACKLIST_COLUMNS + " FROM " + t.blacklist + " ORDER BY phone")
        .map((rs, ctx) -> Rows.blacklist(rs)).list());
  }

  public boolean removeBlacklist(String phone) {
    return db.jdbi.withHandle(h -> h.createUpdate("DELETE FROM " + t.blacklist + " WHERE phone = ?").bind(0, phone).execute() > 0);
  }

  public void recordBlocked(String phone, Instant at) {
    db.jdbi.useHandle(h -> h.createUpdate("UPDATE " + t.blacklist + " SET blocked_count = blocked_count + 1, last_blocked_at = ?"
        + " WHERE phone = ?").bind(0, Times.micros(at)).bind(1, phone).execute());
  }

  // ---- campaigns ----

  /** Saves the campaign and, in the same transaction, parks or puts back its entries as its state asks. */
  public void saveCampaign(Campaign campaign) {
    db.inTransaction(h -> {
      Rows.bindCampaign(h.createUpdate(db.dialect.upsert(t.campaigns, "id", Rows.CAMPAIGN_COLUMNS)), campaign).execute();
      parkOrPutBack(h, campaign.id(), campaign.state());
      return null;
    });
  }

  public Optional<Campaign> findCampaign(String id) {
    return db.jdbi.withHandle(h -> h.createQuery("SELECT " + Rows.CAMPAIGN_COLUMNS + " FROM " + t.campaigns + " WHERE id = ?")
        .bind(0, id).map((rs, ctx) -> Rows.campaign(rs)).findOne());
  }

  /**
   * The campaigns that can be read. One that cannot (see {@link Rows#campaign}) is left out with a WARN naming it,
   * so that it does not hide the others from the campaign runner; {@link #findCampaign} of it throws.
   */
  public List<Campaign> campaigns() {
    List<Campaign> campaigns = db.jdbi.withHandle(h -> h.createQuery("SELECT " + Rows.CAMPAIGN_COLUMNS + " FROM "
        + t.campaigns + " ORDER BY created_at, id").map((rs, ctx) -> readableCampaign(rs)).list());
    campaigns.removeIf(Objects::isNull);
    return campaigns;
  }

  /** The campaign of the row, or null (logged) when it cannot be read. */
  private static Campaign readableCampaign(ResultSet rs) throws SQLException {
    try {
      return Rows.campaign(rs);
    } catch (StoreException e) {
      LOG.warn("{}; left out of the campaign list (it does not run until the row is fixed)", e.getMessage());
      return null;
    }
  }

  /**
   * Moves the campaign, and in the same transaction parks its PENDING entries when it becomes PAUSED (stored as
   * {@link Rows#PARKED}, outside the ranges claims and due queries read) or puts them back when it leaves PAUSED
   * for any state but CANCELLED (cancelling takes parked entries as they are). Entries that become PENDING while
   * the campaign is paused (a retry, a released lease) stay PENDING; claims skip them by the campaign's state.
   */
  public boolean transitionCampaign(String id, CampaignState expected, CampaignState next, Instant now) {
    return db.inTransaction(h -> {
      boolean moved = h.createUpdate("UPDATE " + t.campaigns + " SET state = ?, updated_at = ? WHERE id = ? AND state = ?")
          .bind(0, next.name()).bind(1, Times.micros(now)).bind(2, id).bind(3, expected.name()).execute() == 1;
      if (moved && next != expected) parkOrPutBack(h, id, next);
      return moved;
    });
  }

  /**
   * Parks the campaign's PENDING entries if it is now PAUSED; else, unless it is CANCELLED, puts its parked entries
   * back (an indexed no-op when there are none).
   */
  private void parkOrPutBack(org.jdbi.v3.core.Handle h, String campaignId, CampaignState state) {
    if (state == CampaignState.PAUSED) moveEntries(h, campaignId, "PENDING", Rows.PARKED);
    else if (state != CampaignState.CANCELLED) moveEntries(h, campaignId, Rows.PARKED, "PENDING");
  }

  private void moveEntries(org.jdbi.v3.core.Handle h, String campaignId, String from, String to) {
    h.createUpdate("UPDATE " + t.queue + " SET state = ? WHERE campaign_id = ? AND state = ?")
        .bind(0, to).bind(1, campaignId).bind(2, from).execute();
  }

  public boolean advanceCampaign(String id, long fromCursor, long toCursor, boolean exhausted, long addTargets,
                                 long addSkippedInAddressBook, long addDuplicates, Instant nextBatchAt, Instant now) {
    return db.jdbi.withHandle(h -> h.createUpdate("UPDATE " + t.campaigns + " SET cursor_pos = ?, exhausted = ?,"
            + " targets = targets + ?, skipped_in_address_book = skipped_in_address_book + ?, duplicates = duplicates + ?,"
            + " next_batch_at = ?, updated_at = ? WHERE id = ? AND cursor_pos = ?")
        .bind(0, toCursor).bind(1, exhausted).bind(2, addTargets).bind(3, addSkippedInAddressBook).bind(4, addDuplicates)
        .bind(5, Times.micros(nextBatchAt)).bind(6, Times.micros(now)).bind(7, id).bind(8, fromCursor).execute()) > 0;
  }

  public void addCampaignCounts(String id, long addTargets, long addSkippedInAddressBook, long addDuplicates, Instant now) {
    db.jdbi.useHandle(h -> h.createUpdate("UPDATE " + t.campaigns + " SET targets = targets + ?,"
            + " skipped_in_address_book = skipped_in_address_book + ?, duplicates = duplicates + ?, updated_at = ?"
            + " WHERE id = ?")
        .bind(0, addTargets).bind(1, addSkippedInAddressBook).bind(2, addDuplicates).bind(3, Times.micros(now))
        .bind(4, id).execute());
  }
}
