package dev.notify.jdbc.internal;

/** Table names under one prefix. */
public final class Tables {
  public final String prefix;
  public final String version;
  public final String triggers;
  public final String rules;
  public final String queue;
  public final String log;
  public final String blacklist;
  public final String dedupe;
  public final String rates;
  public final String campaigns;
  public final String ticks;
  public final String jobState;
  public final String jobRuns;

  public Tables(String prefix) {
    this.prefix = prefix;
    version = prefix + "schema_version";
    triggers = prefix + "triggers";
    rules = prefix + "rules";
    queue = prefix + "queue";
    log = prefix + "delivery_log";
    blacklist = prefix + "blacklist";
    dedupe = prefix + "dedupe_keys";
    rates = prefix + "rate_counters";
    campaigns = prefix + "campaigns";
    ticks = prefix + "job_ticks";
    jobState = prefix + "job_state";
    jobRuns = prefix + "job_runs";
  }

  /** Every table, children first (drop order). */
  public String[] all() {
    return new String[] {jobRuns, jobState, ticks, campaigns, rates, dedupe, blacklist, log, queue, rules, triggers, version};
  }
}
