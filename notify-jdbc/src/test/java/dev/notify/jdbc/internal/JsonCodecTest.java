package dev.notify.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.notify.core.QuietHours;
import dev.notify.core.RateLimit;
import dev.notify.core.Recipients;
import dev.notify.core.Rule;
import dev.notify.core.Schedule;
import dev.notify.core.StoreException;
import dev.notify.core.Trigger;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonCodecTest {

  @Test
  void trigger_ofEachType_roundTripsEveryField() {
    List<Trigger> all = List.of(
        Trigger.onStateChange("permit_state_change", "permit").name("Izin \"berubah\"").active(false).stateField("status")
            .stateFrom("draft").stateTo("approved").condition("record.amount > 100").build(),
        Trigger.onCreate("created", "permit").build(),
        Trigger.onUpdate("updated", "permit").build(),
        Trigger.onFieldChange("address", "partner", "address").build(),
        Trigger.cron("daily", "0 0 8 * * ?", "expiring").build(),
        Trigger.manual("blast").build());

    for (Trigger t : all) assertThat(JsonCodec.trigger(JsonCodec.trigger(t))).isEqualTo(t);
  }

  @Test
  void rule_withEverySetting_roundTripsEveryFieldAndTheContextOrder() {
    Rule rule = Rule.builder("r").active(false).trigger("t").condition("old.state == 'draft'").template("tpl")
        .recipients(Recipients.field("record.phone", "record.name"), Recipients.group("staff"),
            Recipients.query("officials", Map.of("region", "record.region", "level", "'kota'")), Recipients.of("+6281234567890"))
        .context("zeta", "record.z").context("alpha", "'Yth. — ü 🙏'").contextPreparer("prep")
        .schedule(Schedule.batch(50, Duration.ofMinutes(15))).priority(9).maxRetries(7)
        .rateLimit(RateLimit.of(30, Duration.ofMinutes(10))).respectBlacklist(false)
        .dedupe("record.id", Duration.ofHours(6))
        .quietHours(QuietHours.of(LocalTime.of(21, 0), LocalTime.of(7, 30), ZoneId.of("Asia/Jakarta")))
        .providers("meta", "fonnte").build();

    Rule back = JsonCodec.rule(JsonCodec.rule(rule));

    assertThat(back).isEqualTo(rule);
    assertThat(back.context().keySet()).containsExactly("zeta", "alpha");
    assertThat(back.providers()).containsExactly("meta", "fonnte");
  }

  @Test
  void rule_eachScheduleType_roundTrips() {
    for (Schedule s : List.of(Schedule.immediate(), Schedule.delayed(Duration.ofSeconds(45)), Schedule.at("record.at"),
        Schedule.batch(10, Duration.ofMinutes(1)))) {
      Rule rule = Rule.builder("r").trigger("t").template("tpl").recipients(Recipients.group("g")).schedule(s).build();
      assertThat(JsonCodec.rule(JsonCodec.rule(rule)).schedule()).isEqualTo(s);
    }
  }

  @Test
  void map_roundTripsNullsQuotesAndOrder() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("z", "quote \" backslash \\ newline \n");
    m.put("a", null);
    m.put("emoji", "🙏");

    Map<String, String> back = JsonCodec.parseMap(JsonCodec.map(m));

    assertThat(back).isEqualTo(m);
    assertThat(back.keySet()).containsExactly("z", "a", "emoji");
  }

  @Test
  void parseMap_ofMalformedJson_saysWhy() {
    assertThatThrownBy(() -> JsonCodec.parseMap("{\"a\": ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not valid JSON");
    assertThatThrownBy(() -> JsonCodec.parseMap("[1]")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expected a JSON object, got ARRAY");
    assertThatThrownBy(() -> JsonCodec.parseMap("{\"n\": 5}")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("value of 'n' is a NUMBER, not a string");
  }

  @Test
  void definition_inANewerFormat_isRefusedNamingBothFormats() {
    assertThatThrownBy(() -> JsonCodec.trigger("{\"v\": 2, \"code\": \"c\", \"type\": \"MANUAL\"}"))
        .isInstanceOf(StoreException.class)
        .hasMessage("stored trigger definition has format 2, newer than format 1 known to this notify-jdbc");
  }

  @Test
  void storedRule_thatNoLongerValidates_failsAsStoreException() {
    assertThatThrownBy(() -> JsonCodec.rule("{\"v\": 1, \"name\": \"r\", \"trigger\": \"t\", \"template\": \"x\", \"recipients\": []}"))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("stored rule definition is invalid")
        .hasMessageContaining("needs at least one recipient");
  }
}
