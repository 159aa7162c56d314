package dev.notify.core;

import dev.notify.core.spi.OutboundMessage;
import dev.notify.core.spi.SendResult;
import dev.notify.core.spi.WhatsAppProvider;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The built-in provider that sends nowhere: it records every message (and optionally prints it), for demos
 * and tests. Needs no account. A script can make it fail: {@link #failWith(Function)}.
 */
public final class RecordingProvider implements WhatsAppProvider {
  /** The default id. */
  public static final String ID = "recording";

  private final String id;
  private final PrintStream out;
  private final ConcurrentLinkedQueue<OutboundMessage> sent = new ConcurrentLinkedQueue<>();
  private final AtomicLong counter = new AtomicLong();
  private volatile Function<OutboundMessage, SendResult> script = m -> null;

  public RecordingProvider() { this(ID, null); }

  /**
   * @param id provider id
   * @param out where to print each message (masked phone), or null to stay quiet
   */
  public RecordingProvider(String id, PrintStream out) {
    this.id = dev.notify.core.internal.Check.notBlank(id, "provider id");
    this.out = out;
  }

  @Override public String id() { return id; }

  /**
   * Makes sends answer what {@code script} returns; a null answer means "accept as usual". Lets tests and
   * the demo show retries and permanent failures.
   */
  public RecordingProvider failWith(Function<OutboundMessage, SendResult> script) {
    this.script = Objects.requireNonNull(script, "script");
    return this;
  }

  @Override public SendResult send(OutboundMessage message) {
    SendResult scripted = script.apply(message);
    if (scripted != null) return scripted;
    sent.add(message);
    String externalId = id + "-" + counter.incrementAndGet();
    if (out != null) {
      out.println("[" + id + "] to " + dev.notify.core.internal.Phones.mask(message.phone()) + ": " + message.text());
    }
    return SendResult.accepted(externalId);
  }

  /** Messages accepted so far, in order. */
  public List<OutboundMessage> sent() { return new ArrayList<>(sent); }

  /** How many messages were accepted. */
  public int sentCount() { return sent.size(); }

  /** Forgets what was recorded. */
  public void clear() { sent.clear(); }
}
