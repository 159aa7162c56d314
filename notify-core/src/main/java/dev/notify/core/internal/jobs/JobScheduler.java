package dev.notify.core.internal.jobs;

import dev.notify.core.JobInfo;
import dev.notify.core.JobRun;
import dev.notify.core.JobState;
import dev.notify.core.Jobs;
import dev.notify.core.internal.Check;
import dev.notify.core.spi.NotificationStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The in-process job scheduler: cron jobs that run once per tick across every node sharing the store, plus
 * continuous jobs (such as {@code queue-dispatch}) that are only listed and controlled here.
 *
 * <p>At each tick, a job runs if it is enabled by configuration and in the store, if it is not still running
 * on this node, and if this node wins {@link NotificationStore#tryClaimTick} for the tick. Ticks missed while
 * no node was up are caught up with a single run (the latest missed tick). A job that throws is logged
 * with one WARN and runs again at its next tick. Every run is recorded ({@link NotificationStore#recordJobRun},
 * {@link JobState#lastRun()}).
 *
 * <p>A tick claim is a lease of {@link #TICK_LEASE}, renewed on the timer every {@link #TICK_LEASE_RENEWAL} while
 * the run goes on (queued on the runner or running), and marked finished when the run ends, whether the task
 * returned or threw. A node refused an unfinished tick tries it again when its lease ends, as long as it is still
 * the latest due tick: so a tick whose node died (or was closed) mid-run is run by another node, or by the node
 * restarted, once the lease has ended. The job then runs twice for that tick if the first run had got far.
 *
 * <p>Time comes from the injected {@link Clock}: {@link #runDueJobs()} evaluates ticks against it, and the
 * timer started by {@link #start()} only calls {@link #runDueJobs()} at the next tick. Tests call
 * {@link #runDueJobs()} themselves with a direct {@code runner}.
 *
 * <p>Thread-safe. The executors are the caller's: {@link #close()} stops the timer but shuts nothing down.
 */
public final class JobScheduler implements Jobs, AutoCloseable {
  /** The schedule reported for a continuous job. */
  public static final String CONTINUOUS = "continuous";

  private static final Logger log = LoggerFactory.getLogger(JobScheduler.class);
  /** The timer re-reads the clock at least this often, so a wall-clock jump delays a tick by at most this. */
  private static final Duration MAX_TIMER_DELAY = Duration.ofMinutes(1);
  /** How soon a tick is tried again when a store call failed before it could run. */
  static final Duration STORE_RETRY = Duration.ofSeconds(10);
  /**
   * How long a tick claim lasts unless renewed: how late a tick whose node died mid-run is run elsewhere. It outlasts
   * several missed renewals (a slow store, a long GC pause) and any clock difference between nodes.
   */
  static final Duration TICK_LEASE = Duration.ofMinutes(10);
  /** How often the timer renews the lease of a run in progress. */
  static final Duration TICK_LEASE_RENEWAL = Duration.ofMinutes(1);
  /** How long after the end of another node's lease a tick is tried again (its lease must have ended before now). */
  private static final Duration AFTER_LEASE = Duration.ofSeconds(1);

  private final Clock clock;
  private final NotificationStore store;
  private final ScheduledExecutorService timer;
  private final Executor runner;
  private final String nodeId;
  private final ZoneId zone;
  private final ConcurrentSkipListMap<String, Job> jobs = new ConcurrentSkipListMap<>();

  private final Object timerLock = new Object();
  private ScheduledFuture<?> armed; // guarded by timerLock
  private boolean started; // guarded by timerLock
  private boolean closed; // guarded by timerLock

  /**
   * @param clock time of ticks and runs
   * @param store where tick claims, job state and runs are kept
   * @param timer fires {@link #runDueJobs()} at the next tick once {@link #start()}ed; renews the lease of each
   *     tick this node claimed while its run goes on (whether or not the scheduler is started)
   * @param runner runs the job tasks
   * @param nodeId this node, recorded with each run and tick claim
   * @param zone the time zone cron expressions are evaluated in
   */
  public JobScheduler(Clock clock, NotificationStore store, ScheduledExecutorService timer, Executor runner,
                      String nodeId, ZoneId zone) {
    this.clock = Check.notNull(clock, "clock");
    this.store = Check.notNull(store, "store");
    this.timer = Check.notNull(timer, "timer");
    this.runner = Check.notNull(runner, "runner");
    this.nodeId = Check.notBlank(nodeId, "node id");
    this.zone = Check.notNull(zone, "time zone");
  }

  // ---- registration ----

  /**
   * Registers a cron job enabled by configuration.
   *
   * @throws dev.notify.core.InvalidCronException naming the job and the expression
   * @throws IllegalStateException if a job with this name is registered
   */
  public void register(String name, String cron, Runnable task) {
    register(name, cron, task, true);
  }

  /**
   * Registers a cron job. A job with {@code configEnabled} false is listed (inactive) but never runs at its
   * ticks on this node, and cannot be {@link #enable}d at run time; {@link #runNow} still runs it.
   *
   * @throws dev.notify.core.InvalidCronException naming the job and the expression
   * @throws IllegalStateException if a job with this name is registered
   */
  public void register(String name, String cron, Runnable task, boolean configEnabled) {
    Check.notBlank(name, "job name");
    Check.notNull(task, "task of job '" + name + "'");
    CronSchedule schedule = CronSchedule.parse(name, cron, zone);
    Instant after = store.jobState(name).map(JobState::lastRunAt).orElseGet(clock::instant);
    Job job = new Job(name, schedule, null, task, configEnabled);
    job.nextTick = schedule.nextAfter(after).orElse(null);
    addScheduled(job);
  }

  /**
   * Registers a cron job at run time, in place of the registered one of that name, if any. Unless the schedule
   * is the registered one's, the first tick is the first after now: a job registered anew (a trigger created
   * again, or made active again) or with a changed schedule missed nothing, and running a tick counted from
   * the job's last run would send at once, out of schedule. (At start, {@link #register} catches up instead.)
   *
   * @throws dev.notify.core.InvalidCronException naming the job and the expression; the registered job stays
   */
  public void replace(String name, String cron, Runnable task, boolean configEnabled) {
    Check.notBlank(name, "job name");
    Check.notNull(task, "task of job '" + name + "'");
    CronSchedule parsed = CronSchedule.parse(name, cron, zone); // refuse a bad expression before removing anything
    Job old = jobs.get(name);
    boolean same = old != null && old.schedule != null && old.schedule.expression().equals(parsed.expression());
    // a run of the old job still going on keeps the new one from starting another on this node
    Job job = new Job(name, parsed, null, task, configEnabled, old != null ? old.running : new AtomicBoolean());
    // no store call once the old job is out: a failing store left a saved trigger without its job
    if (same) {
      job.nextTick = old.nextTick; // a retry it was waiting for included
      job.awaitedTick = old.awaitedTick;
    } else {
      job.nextTick = parsed.nextAfter(clock.instant()).orElse(null);
    }
    if (old != null) jobs.remove(name, old);
    addScheduled(job);
  }

  /** Adds a cron job whose next tick is set, says so, and re-arms the timer for it. */
  private void addScheduled(Job job) {
    add(job);
    log.info("job '{}': scheduled '{}' in {}, next tick {}{}", job.name, job.schedule.expression(), zone, job.nextTick,
        job.configEnabled ? "" : " (disabled by configuration)");
    rearmIfStarted();
  }

  /** Registers a continuous job (listed with schedule {@value #CONTINUOUS}, no ticks) that cannot be run now. */
  public void registerContinuous(String name, String description) {
    registerContinuous(name, description, null, true);
  }

  /**
   * Registers a continuous job: it is listed with schedule {@value #CONTINUOUS} and can be enabled and
   * disabled (its owner asks {@link #isActive}), but it has no ticks.
   *
   * @param onRunNow what {@link #runNow} does (e.g. wake the dispatcher); null if it cannot be run now
   * @throws IllegalStateException if a job with this name is registered
   */
  public void registerContinuous(String name, String description, Runnable onRunNow, boolean configEnabled) {
    Check.notBlank(name, "job name");
    add(new Job(name, null, description, onRunNow, configEnabled));
    log.info("job '{}': continuous ({}){}", name, description, configEnabled ? "" : " (disabled by configuration)");
  }

  /** Removes a job (e.g. the job of a deleted CRON trigger). @return whether it was registered */
  public boolean unregister(String name) {
    boolean removed = jobs.remove(name) != null;
    if (removed) rearmIfStarted();
    return removed;
  }

  private void add(Job job) {
    if (jobs.putIfAbsent(job.name, job) != null) {
      throw new IllegalStateException("job '" + job.name + "' is already registered");
    }
  }

  // ---- ticking ----

  /**
   * Runs, on the runner, every job whose next tick is at or before {@link Clock#instant()} and whose tick
   * this node claims. Each job's next tick moves past now, whether it ran here, elsewhere, or not at all; but a
   * tick that another node claimed and has not finished is tried again when that node's lease ends.
   */
  public void runDueJobs() {
    Instant now = clock.instant();
    for (Job job : jobs.values()) {
      if (job.schedule == null) continue;
      Instant tick = job.takeDueTick(now);
      if (tick == null) continue;
      try {
        runTick(job, tick, now);
      } catch (RuntimeException e) {
        // a store call failed before any node was known to run the tick: try it again soon rather than at the
        // next tick (for a daily job, tomorrow); the tick is taken again as the latest one due then
        Instant retry = now.plus(STORE_RETRY);
        job.retryBy(retry);
        log.warn("job '{}': tick {} not run, trying again at {}: {}", job.name, tick, retry, e.toString());
      }
    }
  }

  private void runTick(Job job, Instant tick, Instant now) {
    if (!job.configEnabled || !enabledInStore(job.name)) {
      log.debug("job '{}': tick {} skipped, job disabled", job.name, tick);
      return;
    }
    if (!job.running.compareAndSet(false, true)) {
      log.warn("job '{}': tick {} skipped, the previous run is still going on this node", job.name, tick);
      return;
    }
    boolean handedOff = false;
    TickLease lease = null;
    try {
      if (!store.tryClaimTick(job.name, tick, nodeId, now, now.plus(TICK_LEASE))) {
        retryAfterLease(job, tick, now);
        return;
      }
      if (tick.equals(job.awaitedTick)) {
        log.warn("job '{}': tick {} was left unfinished by the node that claimed it; running it here", job.name, tick);
      }
      lease = new TickLease(job, tick);
      lease.start();
      TickLease held = lease;
      runner.execute(() -> {
        try {
          execute(job);
        } finally {
          held.runEnded();
          job.running.set(false);
        }
      });
      handedOff = true;
    } catch (RejectedExecutionException e) {
      // the tick stays claimed and unfinished: it is tried again (here or on another node) once its lease ends
      Instant retry = now.plus(TICK_LEASE).plus(AFTER_LEASE);
      job.retryBy(retry);
      log.warn("job '{}': tick {} not run, the runner rejected it; trying again at {}: {}", job.name, tick, retry,
          e.toString());
    } finally {
      if (!handedOff) {
        job.running.set(false);
        if (lease != null) lease.stopRenewing();
      }
    }
  }

  /**
   * After a refused claim: if another node holds the tick unfinished, tries it again when that node's lease ends
   * (a node that died mid-run never finishes it); if the tick is finished or a later one was claimed, moves on.
   */
  private void retryAfterLease(Job job, Instant tick, Instant now) {
    Optional<Instant> leaseEnd = store.unfinishedTickLease(job.name, tick);
    if (leaseEnd.isEmpty()) {
      log.debug("job '{}': tick {} claimed by another node", job.name, tick);
      return;
    }
    Instant retry = (leaseEnd.get().isAfter(now) ? leaseEnd.get() : now).plus(AFTER_LEASE);
    job.awaitedTick = tick;
    job.retryBy(retry);
    log.debug("job '{}': tick {} is being run by another node, leased until {}; trying again at {}", job.name, tick,
        leaseEnd.get(), retry);
  }

  private boolean enabledInStore(String name) {
    return store.jobState(name).map(JobState::enabled).orElse(true);
  }

  /** Runs the task on the calling thread and records the run. Errors (java.lang.Error) are rethrown after recording. */
  private JobRun execute(Job job) {
    Instant start = clock.instant();
    String error = null;
    Throwable fatal = null;
    try (MDC.MDCCloseable ignored = MDC.putCloseable("job", job.name)) {
      job.task.run();
    } catch (RuntimeException e) {
      error = describe(e);
      log.warn("job '{}' failed; it runs again at its next tick", job.name, e);
    } catch (Error e) {
      error = describe(e);
      fatal = e;
    }
    long millis = Math.max(0, Duration.between(start, clock.instant()).toMillis());
    JobRun run = new JobRun(job.name, nodeId, start, millis, error);
    record(run);
    if (fatal instanceof Error e) throw e;
    if (error == null) log.debug("job '{}' ran in {} ms", job.name, millis);
    return run;
  }

  /** The longest error kept with a run: a longer one (a stack of SQL) made MariaDB refuse the whole run record. */
  static final int MAX_ERROR_LENGTH = 1_000;

  static String describe(Throwable e) {
    String text = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH - 3) + "...";
  }

  private void record(JobRun run) {
    try {
      store.recordJobRun(run);
    } catch (RuntimeException e) {
      log.warn("job '{}': could not record its run: {}", run.job(), e.toString());
    }
  }

  /**
   * This node's claim of a tick: renewed on the timer while its run goes on, then marked finished. If marking it
   * fails, the timer tries again at each renewal; until it succeeds, the tick counts as unfinished.
   */
  private final class TickLease implements Runnable {
    private final Job job;
    private final Instant tick;
    private volatile boolean runEnded;
    private volatile ScheduledFuture<?> renewal;

    TickLease(Job job, Instant tick) {
      this.job = job;
      this.tick = tick;
    }

    void start() {
      long every = TICK_LEASE_RENEWAL.toMillis();
      try {
        renewal = timer.scheduleWithFixedDelay(this, every, every, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        log.warn("job '{}': the claim of tick {} will not be renewed, the timer rejected it: {}", job.name, tick,
            e.toString());
      }
    }

    /** On the timer. */
    @Override
    public void run() {
      if (runEnded) {
        finish();
        return;
      }
      try {
        if (!store.renewTick(job.name, tick, nodeId, clock.instant().plus(TICK_LEASE)) && !runEnded) {
          log.warn("job '{}': the claim of tick {} was lost (its lease ended and another node claimed it, or a later"
              + " tick was claimed); the run here goes on", job.name, tick);
          stopRenewing();
        }
      } catch (RuntimeException e) {
        log.warn("job '{}': could not renew the claim of tick {}: {}", job.name, tick, e.toString());
      }
    }

    /** The run ended, whether the task returned or threw: the tick is never run again. */
    void runEnded() {
      runEnded = true;
      finish();
    }

    private synchronized void finish() {
      try {
        if (!store.finishTick(job.name, tick, nodeId, clock.instant())) {
          log.debug("job '{}': tick {} was claimed by another node during the run", job.name, tick);
        }
        stopRenewing();
      } catch (RuntimeException e) {
        ScheduledFuture<?> f = renewal;
        log.warn("job '{}': could not mark tick {} finished{}: {}", job.name, tick, f == null || f.isCancelled()
            ? "; another node may run it again once its lease ends" : ", trying again in " + TICK_LEASE_RENEWAL, e.toString());
      }
    }

    void stopRenewing() {
      ScheduledFuture<?> f = renewal;
      if (f != null) f.cancel(false);
    }
  }

  // ---- timer ----

  /**
   * Starts the timer: it calls {@link #runDueJobs()} at the next tick of any job, then re-arms.
   *
   * @throws IllegalStateException if started before or closed
   */
  public void start() {
    synchronized (timerLock) {
      if (closed) throw new IllegalStateException("job scheduler is closed");
      if (started) throw new IllegalStateException("job scheduler is already started");
      started = true;
      arm();
    }
  }

  /**
   * Stops the timer. Runs in progress finish, their claims still renewed on the timer (once the timer is shut
   * down, another node may run again the tick of a run that outlasts the lease); the executors are not shut down.
   */
  @Override
  public void close() {
    synchronized (timerLock) {
      closed = true;
      if (armed != null) armed.cancel(false);
      armed = null;
    }
  }

  private void rearmIfStarted() {
    synchronized (timerLock) {
      if (started && !closed) arm();
    }
  }

  private void arm() { // holds timerLock
    if (armed != null) armed.cancel(false);
    armed = null;
    Instant earliest = null;
    for (Job job : jobs.values()) {
      Instant t = job.nextTick;
      if (job.schedule != null && job.configEnabled && t != null && (earliest == null || t.isBefore(earliest))) earliest = t;
    }
    if (earliest == null) return;
    Duration delay = Duration.between(clock.instant(), earliest);
    if (delay.isNegative()) delay = Duration.ZERO;
    if (delay.compareTo(MAX_TIMER_DELAY) > 0) delay = MAX_TIMER_DELAY;
    try {
      armed = timer.schedule(this::onTimer, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      log.warn("job scheduler: the timer rejected the next tick: {}", e.toString());
    }
  }

  private void onTimer() {
    try {
      runDueJobs();
    } catch (RuntimeException e) {
      log.warn("job scheduler: tick failed: {}", e.toString());
    } finally {
      rearmIfStarted();
    }
  }

  // ---- Jobs ----

  @Override
  public List<JobInfo> list() {
    List<JobInfo> out = new ArrayList<>();
    for (Job job : jobs.values()) out.add(info(job));
    return List.copyOf(out);
  }

  @Override
  public Optional<JobInfo> find(String name) {
    Job job = name == null ? null : jobs.get(name);
    return job == null ? Optional.empty() : Optional.of(info(job));
  }

  /** Whether the job runs: enabled by configuration and in the store. Continuous jobs' owners ask this. */
  public boolean isActive(String name) {
    Job job = require(name);
    return job.configEnabled && enabledInStore(name);
  }

  /**
   * @throws IllegalStateException if the job is disabled by configuration (changes nothing)
   */
  @Override
  public void enable(String name) {
    Job job = require(name);
    if (!job.configEnabled) {
      throw new IllegalStateException("job '" + name + "' is disabled by configuration ("
          + JobConfig.propertyName(name, "enabled") + " / " + JobConfig.envName(JobConfig.propertyName(name, "enabled"))
          + "); change the configuration to enable it");
    }
    setEnabled(name, true);
  }

  @Override
  public void disable(String name) {
    require(name);
    setEnabled(name, false);
  }

  private void setEnabled(String name, boolean enabled) {
    store.setJobEnabled(name, enabled);
    log.info("job '{}' {} by node {}", name, enabled ? "enabled" : "disabled", nodeId);
  }

  /**
   * @throws IllegalStateException if the job is a continuous job registered without a run-now action,
   *     or is already running on this node
   */
  @Override
  public JobRun runNow(String name) {
    Job job = require(name);
    if (job.task == null) throw new IllegalStateException("job '" + name + "' runs continuously; it cannot be run now");
    if (!job.running.compareAndSet(false, true)) {
      throw new IllegalStateException("job '" + name + "' is already running on this node");
    }
    try {
      return execute(job);
    } finally {
      job.running.set(false);
    }
  }

  @Override
  public List<JobRun> history(String name, int limit) {
    require(name);
    Check.positive(limit, "history limit");
    return store.jobRuns(name, limit);
  }

  private Job require(String name) {
    Job job = name == null ? null : jobs.get(name);
    if (job == null) {
      throw new IllegalArgumentException("unknown job '" + name + "'; known jobs: " + jobs.keySet());
    }
    return job;
  }

  private JobInfo info(Job job) {
    JobState state = store.jobState(job.name).orElseGet(() -> JobState.initial(job.name));
    boolean active = job.configEnabled && state.enabled();
    JobRun last = state.lastRun();
    return new JobInfo(job.name,
        job.schedule == null ? CONTINUOUS : job.schedule.expression(),
        active,
        last == null ? null : last.startedAt(),
        job.schedule == null || !active ? null : job.nextTick,
        last == null ? null : last.durationMillis(),
        last == null ? null : last.error());
  }

  /** A registered job. */
  private static final class Job {
    final String name;
    final CronSchedule schedule; // null: continuous
    final String description;
    final Runnable task; // for a continuous job: the run-now action, may be null
    final boolean configEnabled;
    /** Whether a run is queued or going on; a job replaced at run time shares its predecessor's. */
    final AtomicBoolean running;
    volatile Instant nextTick; // null: never again (or continuous)
    volatile Instant awaitedTick; // the last tick refused while another node held it unfinished

    Job(String name, CronSchedule schedule, String description, Runnable task, boolean configEnabled) {
      this(name, schedule, description, task, configEnabled, new AtomicBoolean());
    }

    Job(String name, CronSchedule schedule, String description, Runnable task, boolean configEnabled, AtomicBoolean running) {
      this.running = running;
      this.name = name;
      this.schedule = schedule;
      this.description = description;
      this.task = task;
      this.configEnabled = configEnabled;
    }

    /** Makes the job due again by {@code at} (a tick whose run failed is then taken again, unless a later one is due). */
    synchronized void retryBy(Instant at) {
      if (nextTick == null || at.isBefore(nextTick)) nextTick = at;
    }

    /** If a tick is due at {@code now}: moves nextTick past now and returns the latest due tick; else null. */
    synchronized Instant takeDueTick(Instant now) {
      Instant next = nextTick;
      if (next == null || next.isAfter(now)) return null;
      Instant tick = schedule.latestAtOrBefore(now).orElse(next);
      nextTick = schedule.nextAfter(tick).orElse(null);
      return tick;
    }

    @Override
    public String toString() {
      return name + (schedule == null ? " (continuous: " + description + ")" : " (" + schedule + ")");
    }
  }
}
