package dev.notify.core.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/** Captures every log event of the notify loggers while open (logback in the notify-core tests). */
public final class CapturedLogs implements AutoCloseable {
  private final Logger logger = (Logger) LoggerFactory.getLogger("dev.notify");
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  public CapturedLogs() {
    appender.start();
    logger.addAppender(appender);
  }

  public List<ILoggingEvent> events() { return List.copyOf(appender.list); }

  /** Every formatted message plus its MDC, one per line. */
  public String text() {
    return appender.list.stream().map(e -> e.getFormattedMessage() + " " + e.getMDCPropertyMap()).collect(Collectors.joining("\n"));
  }

  @Override public void close() {
    logger.detachAppender(appender);
    appender.stop();
  }
}
