package dev.notify.jdbc;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link MultiNodeDrain} with three stores on one H2 file (three pools in one JVM), 5,000 entries. */
class H2FileMultiNodeTest extends MultiNodeDrain {
  @TempDir Path dir;

  @Override TestDatabase openDatabase() {
    return TestDatabase.h2File(dir);
  }

  @Override int entries() { return 5_000; }
}
