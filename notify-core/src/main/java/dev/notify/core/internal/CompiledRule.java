package dev.notify.core.internal;

import dev.notify.core.RecipientSpec;
import dev.notify.core.Rule;
import dev.notify.core.internal.expr.CompiledExpression;
import java.util.List;
import java.util.Map;

/**
 * A rule with every expression compiled by the sandbox, once, when it is registered.
 *
 * @param rule the definition
 * @param condition null when none
 * @param context variable → compiled expression, in order
 * @param recipients per RecipientSpec: phone and name expressions (RECORD) or param expressions (CUSTOM)
 * @param dedupeKey null when none
 * @param at schedule AT expression, null otherwise
 */
public record CompiledRule(Rule rule, CompiledExpression condition, Map<String, CompiledExpression> context,
                           List<CompiledRecipients> recipients, CompiledExpression dedupeKey, CompiledExpression at) {

  /** One recipient spec, compiled. */
  public record CompiledRecipients(RecipientSpec spec, CompiledExpression phone, CompiledExpression name,
                                   Map<String, CompiledExpression> params) {}
}
