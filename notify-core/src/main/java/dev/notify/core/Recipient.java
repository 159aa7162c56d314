package dev.notify.core;

import dev.notify.core.internal.Check;

/**
 * A person to notify. {@code phone} is E.164 ({@code +62812...}) once normalised by the engine.
 *
 * @param id the host's id for the person, may be null
 * @param name display name, may be null
 * @param phone the phone number
 */
public record Recipient(String id, String name, String phone) {
  public Recipient {
    Check.notBlank(phone, "recipient phone");
  }

  public static Recipient of(String phone) { return new Recipient(null, null, phone); }

  public static Recipient of(String id, String name, String phone) { return new Recipient(id, name, phone); }

  public Recipient withPhone(String e164) { return new Recipient(id, name, e164); }

  @Override public String toString() {
    return "Recipient{" + (id == null ? "" : id + ", ") + dev.notify.core.internal.Phones.mask(phone) + "}";
  }
}
