package dev.notify.jdbc.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.notify.core.QuietHours;
import dev.notify.core.RateLimit;
import dev.notify.core.RecipientSpec;
import dev.notify.core.Rule;
import dev.notify.core.Schedule;
import dev.notify.core.StoreException;
import dev.notify.core.Trigger;
import dev.notify.core.TriggerType;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps triggers, rules and string maps to and from JSON text, field by field (no reflection on the domain
 * classes, so a renamed getter cannot silently change the stored format). Every document carries
 * {@code "v": 1}; unknown fields are ignored when reading.
 */
public final class JsonCodec {
  static final int FORMAT = 1;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonCodec() {}

  // ---- trigger ----

  public static String trigger(Trigger t) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("v", FORMAT);
    n.put("code", t.code());
    n.put("name", t.name());
    n.put("active", t.active());
    n.put("type", t.type().name());
    t.entity().ifPresent(v -> n.put("entity", v));
    t.watchedField().ifPresent(v -> n.put("watchedField", v));
    n.put("stateField", t.stateField());
    t.stateFrom().ifPresent(v -> n.put("stateFrom", v));
    t.stateTo().ifPresent(v -> n.put("stateTo", v));
    t.condition().ifPresent(v -> n.put("condition", v));
    t.cron().ifPresent(v -> n.put("cron", v));
    t.source().ifPresent(v -> n.put("source", v));
    return write(n);
  }

  public static Trigger trigger(String json) {
    JsonNode n = read(json, "trigger");
    try {
      Trigger.Builder b = Trigger.builder(text(n, "code"), TriggerType.valueOf(text(n, "type")))
          .name(text(n, "name"))
          .active(n.path("active").asBoolean(true))
          .stateField(text(n, "stateField"));
      if (has(n, "entity")) b.entity(text(n, "entity"));
      if (has(n, "watchedField")) b.watchedField(text(n, "watchedField"));
      if (has(n, "stateFrom")) b.stateFrom(text(n, "stateFrom"));
      if (has(n, "stateTo")) b.stateTo(text(n, "stateTo"));
      if (has(n, "condition")) b.condition(text(n, "condition"));
      if (has(n, "cron")) b.cron(text(n, "cron"));
      if (has(n, "source")) b.source(text(n, "source"));
      return b.build();
    } catch (RuntimeException e) {
      throw new StoreException("stored trigger definition is invalid: " + e.getMessage(), e);
    }
  }

  // ---- rule ----

  public static String rule(Rule r) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("v", FORMAT);
    n.put("name", r.name());
    n.put("active", r.active());
    n.put("trigger", r.trigger());
    r.condition().ifPresent(v -> n.put("condition", v));
    n.put("template", r.templateKey());
    ArrayNode recipients = n.putArray("recipients");
    for (RecipientSpec s : r.recipients()) recipients.add(recipient(s));
    ObjectNode context = n.putObject("context");
    r.context().forEach(context::put);
    r.contextPreparer().ifPresent(v -> n.put("contextPreparer", v));
    n.set("schedule", schedule(r.schedule()));
    n.put("priority", r.priority());
    n.put("maxRetries", r.maxRetries());
    r.rateLimit().ifPresent(l -> {
      ObjectNode rl = n.putObject("rateLimit");
      rl.put("count", l.count());
      rl.put("period", l.period().toString());
    });
    n.put("respectBlacklist", r.respectBlacklist());
    r.dedupeKey().ifPresent(v -> n.put("dedupeKey", v));
    n.put("dedupeWindow", r.dedupeWindow().toString());
    r.quietHours().ifPresent(q -> {
      ObjectNode qh = n.putObject("quietHours");
      qh.put("start", q.start().toString());
      qh.put("end", q.end().toString());
      qh.put("zone", q.zone().getId());
    });
    ArrayNode providers = n.putArray("providers");
    r.providers().forEach(providers::add);
    return write(n);
  }

  public static Rule rule(String json) {
    JsonNode n = read(json, "rule");
    try {
      Rule.Builder b = Rule.builder(text(n, "name"))
          .active(n.path("active").asBoolean(true))
          .trigger(text(n, "trigger"))
          .template(text(n, "template"))
          .priority(n.path("priority").asInt(Rule.DEFAULT_PRIORITY))
          .maxRetries(n.path("maxRetries").asInt(Rule.DEFAULT_MAX_RETRIES))
          .respectBlacklist(n.path("respectBlacklist").asBoolean(true));
      if (has(n, "condition")) b.condition(text(n, "condition"));
      for (JsonNode s : n.path("recipients")) b.recipients(recipient(s));
      Iterator<Map.Entry<String, JsonNode>> ctx = n.path("context").fields();
      while (ctx.hasNext()) {
        Map.Entry<String, JsonNode> e = ctx.next();
        b.context(e.getKey(), e.getValue().asText());
      }
      if (has(n, "contextPreparer")) b.contextPreparer(text(n, "contextPreparer"));
      if (has(n, "schedule")) b.schedule(schedule(n.get("schedule")));
      if (has(n, "rateLimit")) {
        JsonNode rl = n.get("rateLimit");
        b.rateLimit(RateLimit.of(rl.path("count").asInt(), Duration.parse(text(rl, "period"))));
      }
      if (has(n, "dedupeKey")) b.dedupe(text(n, "dedupeKey"), Duration.parse(text(n, "dedupeWindow")));
      if (has(n, "quietHours")) {
        JsonNode q = n.get("quietHours");
        b.quietHours(QuietHours.of(LocalTime.parse(text(q, "start")), LocalTime.parse(text(q, "end")), ZoneId.of(text(q, "zone"))));
      }
      List<String> providers = new ArrayList<>();
      for (JsonNode p : n.path("providers")) providers.add(p.asText());
      b.providers(providers.toArray(new String[0]));
      return b.build();
    } catch (RuntimeException e) {
      throw new StoreException("stored rule definition is invalid: " + e.getMessage(), e);
    }
  }

  private static ObjectNode recipient(RecipientSpec s) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("type", s.type().name());
    if (s.phoneExpression() != null) n.put("phoneExpression", s.phoneExpression());
    if (s.nameExpression() != null) n.put("nameExpression", s.nameExpression());
    if (s.group() != null) n.put("group", s.group());
    ObjectNode params = n.putObject("params");
    // RecipientSpec copies params with Map.copyOf (no order): store sorted for a stable document.
    new java.util.TreeMap<>(s.params()).forEach(params::put);
    ArrayNode phones = n.putArray("phones");
    s.phones().forEach(phones::add);
    return n;
  }

  private static RecipientSpec recipient(JsonNode n) {
    Map<String, String> params = new LinkedHashMap<>();
    n.path("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
    List<String> phones = new ArrayList<>();
    for (JsonNode p : n.path("phones")) phones.add(p.asText());
    return new RecipientSpec(RecipientSpec.Type.valueOf(text(n, "type")), optText(n, "phoneExpression"),
        optText(n, "nameExpression"), optText(n, "group"), params, phones);
  }

  private static ObjectNode schedule(Schedule s) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("type", s.type().name());
    if (s.delay() != null) n.put("delay", s.delay().toString());
    if (s.atExpression() != null) n.put("at", s.atExpression());
    if (s.type() == Schedule.Type.BATCH) {
      n.put("batchSize", s.batchSize());
      n.put("interval", s.interval().toString());
    }
    return n;
  }

  private static Schedule schedule(JsonNode n) {
    switch (Schedule.Type.valueOf(text(n, "type"))) {
      case DELAYED: return Schedule.delayed(Duration.parse(text(n, "delay")));
      case AT: return Schedule.at(text(n, "at"));
      case BATCH: return Schedule.batch(n.path("batchSize").asInt(), Duration.parse(text(n, "interval")));
      default: return Schedule.immediate();
    }
  }

  // ---- string maps (queue context, campaign target params) ----

  public static String map(Map<String, String> map) {
    ObjectNode n = MAPPER.createObjectNode();
    map.forEach(n::put);
    return write(n);
  }

  /**
   * Parses a JSON object of strings (null values allowed), keeping its order.
   *
   * @throws IllegalArgumentException when the text is not such an object; the message says why
   */
  public static Map<String, String> parseMap(String json) {
    JsonNode n;
    try {
      n = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage());
    }
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("expected a JSON object, got " + (n == null ? "nothing" : n.getNodeType()));
    }
    Map<String, String> out = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = n.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      if (v.isNull()) out.put(e.getKey(), null);
      else if (v.isTextual()) out.put(e.getKey(), v.textValue());
      else throw new IllegalArgumentException("value of '" + e.getKey() + "' is a " + v.getNodeType() + ", not a string");
    }
    return out;
  }

  // ---- helpers ----

  private static String write(JsonNode n) {
    try {
      return MAPPER.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  private static JsonNode read(String json, String what) {
    try {
      JsonNode n = MAPPER.readTree(json);
      if (n == null || !n.isObject()) throw new StoreException("stored " + what + " definition is not a JSON object");
      int v = n.path("v").asInt(FORMAT);
      if (v > FORMAT) {
        throw new StoreException("stored " + what + " definition has format " + v + ", newer than format " + FORMAT
            + " known to this notify-jdbc");
      }
      return n;
    } catch (JsonProcessingException e) {
      throw new StoreException("stored " + what + " definition is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static boolean has(JsonNode n, String field) { return n.hasNonNull(field); }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) throw new IllegalArgumentException("field '" + field + "' is missing");
    return v.asText();
  }

  private static String optText(JsonNode n, String field) { return has(n, field) ? n.get(field).asText() : null; }
}
