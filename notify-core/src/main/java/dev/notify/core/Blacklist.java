package dev.notify.core;

import dev.notify.core.internal.EntryProcessor;
import dev.notify.core.internal.Phones;
import dev.notify.core.spi.NotificationStore;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** Numbers that must not be messaged: {@code engine.blacklist()}. Numbers are normalised to E.164. */
public final class Blacklist {
  private final NotificationStore store;
  private final Phones phones;
  private final Clock clock;
  private final EntryProcessor processor;

  Blacklist(NotificationStore store, Phones phones, Clock clock, EntryProcessor processor) {
    this.store = store;
    this.phones = phones;
    this.clock = clock;
    this.processor = processor;
  }

  /**
   * Adds (or re-activates) a number.
   *
   * @return the stored entry
   * @throws IllegalArgumentException for a number that is not valid; nothing is stored
   */
  public BlacklistEntry add(String phone, String reason) { return add(phone, null, reason); }

  /**
   * Adds (or re-activates) a number, with the host's id of the partner it belongs to (kept when null and the
   * number was listed before).
   *
   * @return the stored entry
   * @throws IllegalArgumentException for a number that is not valid; nothing is stored
   */
  public BlacklistEntry add(String phone, String partnerId, String reason) {
    String e164 = normalize(phone);
    Optional<BlacklistEntry> existing = store.findBlacklist(e164);
    BlacklistEntry entry = existing
        .map(b -> new BlacklistEntry(e164, partnerId == null ? b.partnerId() : partnerId, reason, true, b.blockedCount(), b.lastBlockedAt(), b.createdAt()))
        .orElseGet(() -> new BlacklistEntry(e164, partnerId, reason, true, 0, null, clock.instant()));
    store.saveBlacklist(entry);
    processor.invalidateBlacklist();
    return entry;
  }

  /** The entry of a number, active or not; the number is normalized first. */
  public Optional<BlacklistEntry> find(String phone) { return store.findBlacklist(normalize(phone)); }

  /** Whether a number is listed and active: what the dispatcher checks before a send. */
  public boolean contains(String phone) { return find(phone).map(BlacklistEntry::active).orElse(false); }

  /** Every entry, active or not. */
  public List<BlacklistEntry> list() { return store.blacklist(); }

  /** Removes a number entirely. */
  public boolean remove(String phone) {
    String e164 = normalize(phone);
    boolean removed = store.removeBlacklist(e164);
    processor.invalidateBlacklist();
    return removed;
  }

  private String normalize(String phone) {
    return phones.normalize(phone).orElseThrow(() -> new IllegalArgumentException("not a valid phone number: " + Phones.mask(phone)));
  }
}
