package dev.notify.core;

/** What makes a trigger fire. */
public enum TriggerType {
  /** A record of the trigger's entity was created ({@code recordChanged(entity, null, after)}). */
  ON_CREATE,
  /** A record of the entity was updated (any change). */
  ON_UPDATE,
  /** The state field changed, optionally from {@code stateFrom} and/or to {@code stateTo}. */
  ON_STATE_CHANGE,
  /** The watched field changed. */
  ON_FIELD_CHANGE,
  /** On a cron schedule; records come from a named {@code RecordSource}. */
  CRON,
  /** Only when the host calls {@code fire(code, ...)} explicitly. */
  MANUAL
}
