package dev.notify.core;

import java.util.List;
import java.util.Map;

/** Factories for {@link RecipientSpec}. */
public final class Recipients {
  private Recipients() {}

  /** The phone comes from the record, e.g. {@code field("record.applicantPhone", "record.applicantName")}. */
  public static RecipientSpec field(String phoneExpression, String nameExpression) {
    return new RecipientSpec(RecipientSpec.Type.RECORD, phoneExpression, nameExpression, null, null, null);
  }

  public static RecipientSpec field(String phoneExpression) { return field(phoneExpression, null); }

  /** Every member of a group of the host's {@code RecipientDirectory}, e.g. {@code "staff"}. */
  public static RecipientSpec group(String group) {
    return new RecipientSpec(RecipientSpec.Type.GROUP, null, null, group, null, null);
  }

  /** A named directory query with parameters (MVEL expressions over the record). */
  public static RecipientSpec query(String queryName, Map<String, String> params) {
    return new RecipientSpec(RecipientSpec.Type.CUSTOM, null, null, queryName, params, null);
  }

  /** Fixed numbers. */
  public static RecipientSpec of(String... phones) {
    dev.notify.core.internal.Check.notNull(phones, "phones");
    for (String p : phones) dev.notify.core.internal.Check.notBlank(p, "fixed recipient phone");
    return new RecipientSpec(RecipientSpec.Type.STATIC, null, null, null, null, List.of(phones));
  }
}
