package dev.notify.core;

import dev.notify.core.internal.Check;
import java.util.List;
import java.util.Map;

/**
 * Who a rule notifies. Build with {@link Recipients}.
 *
 * @param type RECORD, GROUP, CUSTOM or STATIC
 * @param phoneExpression RECORD: MVEL yielding the phone (or a list of phones)
 * @param nameExpression RECORD: optional MVEL yielding the display name
 * @param group GROUP: the directory group name; CUSTOM: the directory query name
 * @param params CUSTOM: query parameters (MVEL expressions evaluated over the record)
 * @param phones STATIC: fixed numbers
 */
public record RecipientSpec(Type type, String phoneExpression, String nameExpression, String group,
                            Map<String, String> params, List<String> phones) {
  /** Recipient kinds of DESIGN.md. */
  public enum Type { RECORD, GROUP, CUSTOM, STATIC }

  public RecipientSpec {
    Check.notNull(type, "recipient type");
    params = params == null ? Map.of() : Map.copyOf(params);
    phones = phones == null ? List.of() : List.copyOf(phones);
    switch (type) {
      case RECORD: Check.notBlank(phoneExpression, "RECORD recipient phone expression"); break;
      case GROUP: Check.notBlank(group, "GROUP recipient group name"); break;
      case CUSTOM: Check.notBlank(group, "CUSTOM recipient query name"); break;
      case STATIC:
        if (phones.isEmpty()) throw new IllegalArgumentException("STATIC recipients need at least one phone");
        break;
      default: break;
    }
  }

  /** Fixed numbers masked: such values end up in logs. */
  @Override public String toString() {
    switch (type) {
      case RECORD: return "RecipientSpec{RECORD " + phoneExpression + (nameExpression == null ? "" : ", " + nameExpression) + "}";
      case GROUP: return "RecipientSpec{GROUP " + group + "}";
      case CUSTOM: return "RecipientSpec{CUSTOM " + group + " " + params + "}";
      default: return "RecipientSpec{STATIC " + phones.stream().map(dev.notify.core.internal.Phones::mask).toList() + "}";
    }
  }
}
