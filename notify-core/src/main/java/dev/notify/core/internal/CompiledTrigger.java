package dev.notify.core.internal;

import dev.notify.core.Trigger;
import dev.notify.core.internal.expr.CompiledExpression;

/** A trigger with its condition compiled by the sandbox. */
public record CompiledTrigger(Trigger trigger, CompiledExpression condition) {}
