package dev.notify.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.notify.core.spi.OutboundMessage;
import dev.notify.core.spi.WebhookEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Public values that hosts log or keep: no full phone number in their text, no change through the caller's maps. */
class ValueTypesTest {
  private static final String PHONE = "+6281234567890";
  private static final Instant AT = Instant.parse("2026-03-02T02:00:00Z");

  /** Before, the records' default toString printed every digit (and the message text). */
  @Test
  void toString_masksPhoneNumbers_andLeavesMessageTextOut() {
    List<Object> values = List.of(
        new BlacklistEntry(PHONE, null, "asked to stop", true, 2, AT, AT),
        new DeliveryLog("l1", "e1", "r", null, PHONE, "Budi", "t", EntryState.SENT, null, "Yth. Budi, izin terbit",
            "recording", "x1", 1, 3, null, AT),
        new Preview.Message(PHONE, "Budi", "Yth. Budi, izin terbit", Map.of("nama", "Budi")),
        Recipients.of(PHONE),
        new OutboundMessage("e1", PHONE, "Budi", "Yth. Budi, izin terbit", "t", null, Map.of(), 1),
        new WebhookEvent.InboundMessage(PHONE, "STOP", AT));

    for (Object v : values) {
      assertThat(v.toString()).as(v.getClass().getSimpleName()).doesNotContain("81234567890").doesNotContain("Yth. Budi")
          .contains("+62812");
    }
  }

  /** Before, these kept the caller's map or lists: a change the caller made afterwards showed through. */
  @Test
  void maps_andLists_givenToValues_areCopied() {
    Map<String, String> vals = new HashMap<>(Map.of("a", "b"));
    List<String> secrets = new ArrayList<>(List.of("s1"));
    Preview.Message message = new Preview.Message(PHONE, null, "x", vals);
    OutboundMessage outbound = new OutboundMessage("e1", PHONE, null, "x", "t", null, vals, 1);
    WebhookRequest request = WebhookRequest.get(Map.of("secret", secrets));

    vals.put("c", "d");
    secrets.add("s2");

    assertThat(message.values()).containsOnlyKeys("a");
    assertThat(outbound.values()).containsOnlyKeys("a");
    assertThat(request.query().get("secret")).containsExactly("s1");
  }
}
