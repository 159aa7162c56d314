package dev.notify.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.notify.core.spi.OutboundMessage;
import dev.notify.core.spi.ProviderConfig;
import dev.notify.core.spi.SendResult;
import dev.notify.core.spi.WhatsAppProvider;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineBuilderTest {

  @Test
  void recordingProvider_isFoundByServiceLoader() {
    NotificationEngine engine = NotificationEngine.builder().provider("recording").environment(k -> null).backgroundDispatch(false)
        .template(MessageTemplate.of("t", "hi")).build().start();
    try {
      assertThat(engine.testSend("t", "081234567890", Map.of())).isInstanceOf(SendResult.Accepted.class);
    } finally {
      engine.close();
    }
  }

  @Test
  void unknownProvider_isAClearErrorListingWhatIsOnTheClasspath() {
    assertThatThrownBy(() -> NotificationEngine.builder().provider("nope").build())
        .isInstanceOf(ProviderConfigurationException.class)
        .hasMessageContaining("provider 'nope' not found")
        .hasMessageContaining("recording");
  }

  @Test
  void noProvider_isAClearError() {
    assertThatThrownBy(() -> NotificationEngine.builder().build())
        .isInstanceOf(ProviderConfigurationException.class)
        .hasMessageStartingWith("no provider configured");
  }

  @Test
  void explicitInstance_winsOverDiscovery_andTwoWithOneIdAreRefused() {
    WhatsAppProvider mine = new RecordingProvider();
    assertThatThrownBy(() -> NotificationEngine.builder().provider(mine).provider(new RecordingProvider()).build())
        .isInstanceOf(ProviderConfigurationException.class)
        .hasMessage("provider 'recording' is registered twice");
  }

  @Test
  void providerConfig_readsBuilderThenPropertiesThenEnvironment_andNamesMissingSettings() {
    java.util.Properties props = new java.util.Properties();
    props.setProperty("notify.fonnte.token", "from-props");
    ProviderConfig cfg = new ProviderConfig("fonnte", Map.of("device", "d1"), props::getProperty,
        k -> k.equals("NOTIFY_FONNTE_COUNTRY_CODE") ? "62" : null);

    assertThat(cfg.get("device")).contains("d1");
    assertThat(cfg.get("token")).contains("from-props");
    assertThat(cfg.get("country-code")).contains("62");
    assertThatThrownBy(() -> cfg.require("secret"))
        .isInstanceOf(ProviderConfigurationException.class)
        .hasMessage("provider 'fonnte' needs setting 'secret' (builder providerSetting, property notify.fonnte.secret or environment variable NOTIFY_FONNTE_SECRET), but it is missing or blank");
  }

  /** Before, "15s" as the settings tables write it was refused: only PT15S or milliseconds were read. */
  @Test
  void providerConfig_readsDurationsWithAUnit_asTheDocsWriteThem() {
    Map<String, String> given = Map.of("a", "15s", "b", "2m", "c", "500ms", "d", "PT10S", "e", "250", "f", "15 seconds");
    ProviderConfig cfg = new ProviderConfig("meta", given, k -> null, k -> null);

    assertThat(cfg.duration("a", null)).isEqualTo(Duration.ofSeconds(15));
    assertThat(cfg.duration("b", null)).isEqualTo(Duration.ofMinutes(2));
    assertThat(cfg.duration("c", null)).isEqualTo(Duration.ofMillis(500));
    assertThat(cfg.duration("d", null)).isEqualTo(Duration.ofSeconds(10));
    assertThat(cfg.duration("e", null)).isEqualTo(Duration.ofMillis(250));
    assertThatThrownBy(() -> cfg.duration("f", null)).isInstanceOf(ProviderConfigurationException.class)
        .hasMessageContaining("got '15 seconds'");
  }

  /** Before, 47 hours was kept as 1 day without a word, and a null fixed phone was a bare NullPointerException. */
  @Test
  void logRetentionOfPartDays_andBlankFixedPhones_areRefusedByName() {
    assertThatThrownBy(() -> NotificationEngine.builder().logRetention(Duration.ofHours(47)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("log retention must be whole days between 1 and 36500, got PT47H");
    assertThatThrownBy(() -> Recipients.of("081234567890", null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fixed recipient phone must not be blank");
  }

  /** Before, a 300-character code was saved on PostgreSQL and H2 but failed on MariaDB ("Data too long"). */
  @Test
  void codesNamesAndKeysLongerThan255Characters_areRefusedOnEveryStore() {
    String tooLong = "x".repeat(256);
    assertThatThrownBy(() -> Trigger.manual(tooLong)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("trigger code must be at most 255 characters, got 256");
    assertThatThrownBy(() -> Rule.builder(tooLong)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rule name");
    assertThatThrownBy(() -> MessageTemplate.of(tooLong, "hi")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("template key");
    assertThat(Trigger.manual("x".repeat(255)).build().code()).hasSize(255);
  }

  @Test
  void setters_validateWithMessagesNamingTheValue() {
    NotificationEngine.Builder b = NotificationEngine.builder();
    assertThatThrownBy(() -> b.workers(0)).isInstanceOf(IllegalArgumentException.class).hasMessage("workers must be between 1 and 1024, got 0");
    assertThatThrownBy(() -> b.campaignEnqueueLanes(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("campaignEnqueueLanes must be between 1 and 64, got 0");
    assertThatThrownBy(() -> b.defaultRegion("XX")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 'XX'");
    assertThatThrownBy(() -> b.lease(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class).hasMessage("lease must be positive, got PT0S");
    assertThatThrownBy(() -> b.batchSize(20_000)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("20000");
    assertThatThrownBy(() -> b.retryBackoff(Duration.ofMinutes(2), Duration.ofMinutes(1), 0.1))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("retry backoff max PT1M is below base PT2M");
    assertThatThrownBy(() -> b.meterRegistry("not a registry")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.String");
    b.store(InMemoryStore.create());
    assertThatThrownBy(() -> b.store(InMemoryStore.create())).isInstanceOf(IllegalStateException.class).hasMessageContaining("store already set");
    b.template(MessageTemplate.of("t", "x"));
    assertThatThrownBy(() -> b.template(MessageTemplate.of("t", "y"))).isInstanceOf(IllegalStateException.class).hasMessage("template 't' already added");
  }

  @Test
  void definitionBuilders_validate() {
    assertThatThrownBy(() -> Rule.builder("r").trigger("t").template("x").build())
        .isInstanceOf(InvalidDefinitionException.class).hasMessage("rule 'r' needs at least one recipient");
    assertThatThrownBy(() -> Rule.builder("r").priority(11)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rule 'r' priority must be between 0 and 10, got 11");
    assertThatThrownBy(() -> Trigger.builder("c", TriggerType.CRON).build())
        .isInstanceOf(InvalidDefinitionException.class).hasMessage("trigger 'c' of type CRON needs a cron expression and a record source");
    assertThatThrownBy(() -> Trigger.onStateChange(" ", "permit")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("trigger code must not be blank, got ' '");
    assertThatThrownBy(() -> MessageTemplate.of("big", "x".repeat(5000))).isInstanceOf(InvalidDefinitionException.class)
        .hasMessageContaining("5000 characters");
  }

  @Test
  void ruleNamingAnUnknownTrigger_isRefusedAtStart() {
    NotificationEngine e = NotificationEngine.builder().provider(new RecordingProvider()).environment(k -> null).backgroundDispatch(false)
        .template(MessageTemplate.of("t", "x"))
        .rule(Rule.builder("r").trigger("missing").recipients(Recipients.of("081234567890")).template("t").build()).build();
    assertThatThrownBy(e::start).isInstanceOf(InvalidDefinitionException.class)
        .hasMessageContaining("rule 'r' names trigger 'missing' which is not registered");
    e.close();
  }

  @Test
  void outboundMessage_bodyParametersFollowTheMappingOrder() {
    OutboundMessage m = new OutboundMessage("id", "+6281234567890", null, "text", "t",
        TemplateMapping.of("permit_ready_v1", "id", "partner_name", "permit_number"), Map.of("permit_number", "9", "partner_name", "Budi"), 1);
    assertThat(m.bodyParameters()).containsExactly("Budi", "9");
    assertThat(m.phoneDigits()).isEqualTo("6281234567890");
  }

  /** Before, the engine kept the builder itself: rules and preparers added to it after build() reached the engine. */
  @Test
  void aBuilderUsedAfterBuild_doesNotChangeTheBuiltEngine() {
    NotificationEngine.Builder b = NotificationEngine.builder().provider(new RecordingProvider()).environment(k -> null)
        .backgroundDispatch(false).trigger(Trigger.manual("m").build()).template(MessageTemplate.of("t", "hi"));
    NotificationEngine engine = b.build();
    b.contextPreparer("late", (record, params) -> Map.of())
        .rule(Rule.builder("late_rule").trigger("m").recipients(Recipients.of("081234567890")).template("t").build());
    try {
      engine.start();

      assertThat(engine.rules().list()).isEmpty();
      assertThatThrownBy(() -> engine.rules().save(Rule.builder("r").trigger("m").recipients(Recipients.of("081234567890"))
          .template("t").contextPreparer("late").build()))
          .isInstanceOf(InvalidDefinitionException.class).hasMessageContaining("late");
    } finally {
      engine.close();
    }
  }

  /** Saves are documented to throw InvalidDefinitionException (or a subclass); these two were not subclasses. */
  @Test
  void unknownTemplateAndBadCron_onSave_areInvalidDefinitions() {
    NotificationEngine engine = NotificationEngine.builder().provider(new RecordingProvider()).environment(k -> null)
        .backgroundDispatch(false).backgroundJobs(false).recordSource("s", p -> java.util.stream.Stream.empty())
        .trigger(Trigger.manual("m").build()).build().start();
    try {
      assertThatThrownBy(() -> engine.rules().save(Rule.builder("r").trigger("m").recipients(Recipients.of("081234567890"))
          .template("nope").build())).isInstanceOf(InvalidDefinitionException.class).hasMessageContaining("nope");
      assertThatThrownBy(() -> engine.triggers().save(Trigger.cron("c", "61 * * * *", "s").build()))
          .isInstanceOf(InvalidDefinitionException.class).hasMessageContaining("61 * * * *");
    } finally {
      engine.close();
    }
  }

  /** Before, such settings were silently ignored: onUpdate(...).stateTo("approved") fired on every update. */
  @Test
  void triggerSettingsTheTypeDoesNotUse_areRefused() {
    assertThatThrownBy(() -> Trigger.onUpdate("u", "permit").stateTo("approved").build())
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessage("trigger 'u' of type ON_UPDATE does not use stateTo (set to 'approved')");
    assertThatThrownBy(() -> Trigger.manual("m").cron("0 9 * * *").build())
        .isInstanceOf(InvalidDefinitionException.class).hasMessageContaining("does not use cron");
    assertThatThrownBy(() -> Trigger.onStateChange("s", "permit").watchedField("expiresOn").build())
        .isInstanceOf(InvalidDefinitionException.class).hasMessageContaining("does not use watchedField");
  }

  /** Before, only fire and a few others checked: blacklist().add before start() and campaigns() after close() ran. */
  @Test
  void operations_beforeStartAndAfterClose_areIllegalState() {
    NotificationEngine engine = NotificationEngine.builder().provider(new RecordingProvider()).environment(k -> null)
        .backgroundDispatch(false).build();

    assertThatThrownBy(engine::blacklist).isInstanceOf(IllegalStateException.class).hasMessageContaining("start()");
    engine.start();
    engine.blacklist().add("081234567890", "asked to stop");
    engine.close();
    assertThatThrownBy(engine::campaigns).isInstanceOf(IllegalStateException.class).hasMessage("engine is closed");
    assertThatThrownBy(engine::jobs).isInstanceOf(IllegalStateException.class);
  }
}
