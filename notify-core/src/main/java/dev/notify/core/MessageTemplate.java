package dev.notify.core;

import dev.notify.core.internal.Check;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A message body with {@code {{name}}} placeholders, plus optional per-provider mappings (e.g. Meta's
 * approved template). Immutable.
 */
public final class MessageTemplate {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_.]*)\\s*}}");
  /** WhatsApp's limit for a text message body. */
  public static final int MAX_BODY_LENGTH = 4096;

  private final String key;
  private final String body;
  private final Map<String, TemplateMapping> mappings;
  private final Set<String> variables;
  /** The body cut at placeholders: literal, variable, literal, variable, ..., literal. */
  private final String[] parts;

  private MessageTemplate(String key, String body, Map<String, TemplateMapping> mappings) {
    this.key = Check.name(key, "template key");
    this.body = Check.notBlank(body, "template '" + key + "' body");
    if (body.length() > MAX_BODY_LENGTH) {
      throw new InvalidDefinitionException("template '" + key + "' body is " + body.length() + " characters, more than " + MAX_BODY_LENGTH);
    }
    this.mappings = Collections.unmodifiableMap(new LinkedHashMap<>(mappings));
    Set<String> vars = new LinkedHashSet<>();
    java.util.List<String> cut = new java.util.ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(body);
    int last = 0;
    while (m.find()) {
      refuseBraces(key, body, last, m.start());
      vars.add(m.group(1));
      cut.add(body.substring(last, m.start()));
      cut.add(m.group(1));
      last = m.end();
    }
    refuseBraces(key, body, last, body.length());
    cut.add(body.substring(last));
    this.variables = Collections.unmodifiableSet(vars);
    this.parts = cut.toArray(new String[0]);
  }

  /** "{{1}}", "{{nomor-izin}}" between placeholders: not a placeholder, and before it was sent as written. */
  private static void refuseBraces(String key, String body, int from, int to) {
    int pos = body.indexOf("{{", from);
    // both braces in the text between placeholders: "{" + "{{amount}}" (a value shown in braces) is fine
    if (pos < 0 || pos + 1 >= to) return;
    int end = body.indexOf("}}", pos);
    String what = end < 0 ? body.substring(pos, Math.min(body.length(), pos + 20)) : body.substring(pos, Math.min(end + 2, pos + 40));
    throw new InvalidDefinitionException("template '" + key + "' has '" + what + "' at offset " + pos
        + ", which is not a placeholder: write {{name}}, a name of letters, digits, _ and . that starts with a letter or _");
  }

  public static MessageTemplate of(String key, String body) { return new MessageTemplate(key, body, Map.of()); }

  /** A copy with a mapping for {@code providerId}. */
  public MessageTemplate withMapping(String providerId, TemplateMapping mapping) {
    Map<String, TemplateMapping> m = new LinkedHashMap<>(mappings);
    m.put(Check.notBlank(providerId, "template '" + key + "' mapping provider"), Check.notNull(mapping, "template mapping"));
    return new MessageTemplate(key, body, m);
  }

  public String key() { return key; }
  public String body() { return body; }
  public Map<String, TemplateMapping> mappings() { return mappings; }
  public Optional<TemplateMapping> mapping(String providerId) { return Optional.ofNullable(mappings.get(providerId)); }
  /** Placeholder names in order of first appearance. */
  public Set<String> variables() { return variables; }

  /**
   * Fills the placeholders.
   *
   * @throws TemplateRenderException naming the template and the variable when a value is missing
   */
  public String render(Map<String, ?> values) {
    StringBuilder out = new StringBuilder(body.length() + 32);
    out.append(parts[0]);
    for (int i = 1; i < parts.length; i += 2) {
      Object v = values.get(parts[i]);
      if (v == null) {
        throw new TemplateRenderException("template '" + key + "' needs variable '" + parts[i] + "' but it has no value");
      }
      out.append(v).append(parts[i + 1]);
    }
    return out.toString();
  }

  @Override public boolean equals(Object o) {
    return o instanceof MessageTemplate && ((MessageTemplate) o).key.equals(key) && ((MessageTemplate) o).body.equals(body)
        && ((MessageTemplate) o).mappings.equals(mappings);
  }

  @Override public int hashCode() { return key.hashCode() * 31 + body.hashCode(); }

  @Override public String toString() { return "MessageTemplate{" + key + "}"; }
}
