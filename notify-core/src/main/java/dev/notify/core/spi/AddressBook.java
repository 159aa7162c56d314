package dev.notify.core.spi;

/** The host's contacts: campaigns with {@code skipRecipientsInAddressBook} skip numbers it knows. */
@FunctionalInterface
public interface AddressBook {
  /** Whether the E.164 number is a known contact. */
  boolean contains(String e164Phone);
}
