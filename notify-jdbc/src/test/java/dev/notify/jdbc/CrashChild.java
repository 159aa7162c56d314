package dev.notify.jdbc;

import dev.notify.core.MessageTemplate;
import dev.notify.core.NotificationEngine;
import dev.notify.core.spi.OutboundMessage;
import dev.notify.core.spi.SendResult;
import dev.notify.core.spi.WhatsAppProvider;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The engine process CrashRecoveryTest kills with SIGKILL: it dispatches the queue of the given database
 * through a provider that appends each accepted entry id to a file (flushed per line, so the file survives
 * the kill), then waits to be killed.
 *
 * <p>Arguments: {@code h2 <file path> <sent file>} or {@code postgres <jdbc url> <table prefix> <sent file>}.
 */
public final class CrashChild {
  private CrashChild() {}

  public static void main(String[] args) throws Exception {
    JdbcStore store;
    Path sentFile;
    if (args[0].equals("h2")) {
      store = JdbcStore.h2File(Path.of(args[1]));
      sentFile = Path.of(args[2]);
    } else {
      org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
      ds.setURL(args[1]);
      store = JdbcStore.builder(ds).tablePrefix(args[2]).build();
      sentFile = Path.of(args[3]);
    }
    BufferedWriter out = Files.newBufferedWriter(sentFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    WhatsAppProvider provider = new WhatsAppProvider() {
      @Override public String id() { return "recording"; }

      @Override public SendResult send(OutboundMessage m) {
        LockSupport.parkNanos(2_000_000); // a provider call takes time: the kill lands mid-dispatch
        synchronized (out) {
          try {
            out.write(m.entryId());
            out.newLine();
            out.flush();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
        return SendResult.accepted("x-" + m.entryId());
      }
    };
    NotificationEngine.builder().store(store).provider(provider).environment(k -> null)
        .template(MessageTemplate.of("t", "Pesan {{n}}")).workers(4).batchSize(40).lease(Duration.ofSeconds(30))
        .build().start();
    System.out.println("child dispatching");
    while (true) LockSupport.park();
  }
}
