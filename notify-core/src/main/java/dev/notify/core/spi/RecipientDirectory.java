package dev.notify.core.spi;

import dev.notify.core.Recipient;
import java.util.List;
import java.util.Map;

/** The host's people: named groups (e.g. {@code staff}, {@code officials}) and named queries. */
public interface RecipientDirectory {
  /** Members of a group; an unknown group yields an empty list. */
  List<Recipient> group(String name);

  /** A named query with parameters; by default unsupported (empty). */
  default List<Recipient> query(String name, Map<String, Object> params) { return List.of(); }
}
