package dev.notify.core;

import java.util.List;
import java.util.Map;

/**
 * What a rule would send for a sample record, without queuing anything.
 *
 * @param rule rule name
 * @param messages one per recipient: phone (E.164), rendered text
 * @param skipped why nothing (or less) would be sent, e.g. {@code condition_false}, {@code invalid_phone}
 */
public record Preview(String rule, List<Message> messages, List<FireResult.Skip> skipped) {
  public Preview {
    messages = List.copyOf(messages);
    skipped = List.copyOf(skipped);
  }

  /** One rendered message. */
  public record Message(String phone, String recipientName, String text, Map<String, String> values) {
    public Message {
      values = values == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
    }

    /** The phone masked and the text left out: such values end up in logs. */
    @Override public String toString() {
      return "Message{" + dev.notify.core.internal.Phones.mask(phone) + ", " + text.length() + " characters}";
    }
  }
}
