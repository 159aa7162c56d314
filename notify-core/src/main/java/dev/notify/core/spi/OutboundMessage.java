package dev.notify.core.spi;

import dev.notify.core.TemplateMapping;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One message to send.
 *
 * @param entryId queue entry id (stable across retries: providers may use it as an idempotency key)
 * @param phone recipient in E.164 ({@code +6281234567890})
 * @param recipientName may be null
 * @param text the rendered body
 * @param templateKey the notify template key
 * @param mapping the provider's template mapping (e.g. Meta's approved template), or null to send text
 * @param values the template values
 * @param attempt 1 for the first call
 */
public record OutboundMessage(String entryId, String phone, String recipientName, String text, String templateKey,
                              TemplateMapping mapping, Map<String, String> values, int attempt) {
  public OutboundMessage {
    values = values == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
  }

  /** The phone masked and the text left out: providers log such values. */
  @Override public String toString() {
    return "OutboundMessage{entry " + entryId + ", " + dev.notify.core.internal.Phones.mask(phone) + ", template " + templateKey + ", attempt " + attempt
        + ", " + (text == null ? 0 : text.length()) + " characters}";
  }

  /** The phone without the leading '+', as Meta, Fonnte and Watzap expect ({@code 6281234567890}). */
  public String phoneDigits() { return phone.startsWith("+") ? phone.substring(1) : phone; }

  public Optional<TemplateMapping> templateMapping() { return Optional.ofNullable(mapping); }

  /** The mapping's body parameters filled from {@link #values()}, in order; a missing value is an empty string. */
  public List<String> bodyParameters() {
    if (mapping == null) return List.of();
    return mapping.bodyParameters().stream().map(p -> values.getOrDefault(p, "")).toList();
  }
}
