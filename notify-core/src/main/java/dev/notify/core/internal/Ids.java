package dev.notify.core.internal;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Unique, roughly time-ordered ids without coordination: 12 hex digits of epoch millis, 8 of a random
 * per-process node value, 8 of a counter. Cheaper than {@code UUID.randomUUID()} on the fire hot path.
 */
public final class Ids {
  private static final String NODE = String.format("%08x", ThreadLocalRandom.current().nextInt());
  private static final AtomicLong COUNTER = new AtomicLong(ThreadLocalRandom.current().nextInt() & 0xffffL);

  private Ids() {}

  public static String next() {
    long millis = System.currentTimeMillis();
    long c = COUNTER.incrementAndGet() & 0xffffffffL;
    char[] out = new char[28];
    hex(millis, out, 0, 12);
    for (int i = 0; i < 8; i++) out[12 + i] = NODE.charAt(i);
    hex(c, out, 20, 8);
    return new String(out);
  }

  private static void hex(long v, char[] out, int at, int digits) {
    for (int i = digits - 1; i >= 0; i--) {
      out[at + i] = Character.forDigit((int) (v & 0xf), 16);
      v >>>= 4;
    }
  }
}
