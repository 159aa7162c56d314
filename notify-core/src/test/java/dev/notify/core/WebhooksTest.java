package dev.notify.core;

import static dev.notify.core.EngineFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.notify.core.spi.LogQuery;
import dev.notify.core.spi.OutboundMessage;
import dev.notify.core.spi.SendResult;
import dev.notify.core.spi.WebhookEvent;
import dev.notify.core.spi.WebhookResult;
import dev.notify.core.spi.WhatsAppProvider;
import dev.notify.core.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhooksTest {
  private final MutableClock clock = clock();
  private NotificationEngine engine;

  /** A fake provider whose webhook "signature" is a header equal to "ok", and whose body lines are events. */
  static final class FakeWebhookProvider implements WhatsAppProvider {
    int sent;
    /** When a status is stamped: T0, or the arrival, as Fonnte does. */
    java.util.function.Supplier<java.time.Instant> stamp = () -> T0;

    @Override public String id() { return "fake"; }

    @Override public SendResult send(OutboundMessage message) { return SendResult.accepted("wamid." + (++sent)); }

    @Override public WebhookResult handleWebhook(WebhookRequest request) {
      if (!"ok".equals(request.header("X-Sig").orElse(null))) return WebhookResult.forbidden("bad signature");
      String[] parts = request.bodyAsString().split(" ");
      WebhookEvent ev = parts[0].equals("status")
          ? new WebhookEvent.StatusUpdate(parts[1], DeliveryStatus.valueOf(parts[2]), stamp.get(), null, null)
          : new WebhookEvent.InboundMessage(parts[1], parts[2], T0);
      return new WebhookResult(WebhookResponse.ok(), List.of(ev));
    }
  }

  @AfterEach
  void close() {
    if (engine != null) engine.close();
  }

  private final FakeWebhookProvider fake = new FakeWebhookProvider();

  private NotificationEngine start() {
    engine = NotificationEngine.builder().clock(clock).environment(k -> null).backgroundDispatch(false).provider(fake)
        .template(MessageTemplate.of("t", "hi")).trigger(Trigger.manual("m").build())
        .rule(Rule.builder("r").trigger("m").recipients(Recipients.of("081234567890")).template("t").build())
        .build().start();
    return engine;
  }

  private static WebhookRequest post(String sig, String body) {
    return WebhookRequest.post(sig == null ? Map.of() : Map.of("x-sig", sig), body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void statusWebhook_movesEntryAndLogForward_andAReplayChangesNothing() {
    start();
    engine.fire("m", Map.of(), Map.of());
    engine.dispatchNow();

    assertThat(engine.webhooks().handle("fake", post("ok", "status wamid.1 DELIVERED")).status()).isEqualTo(200);
    assertThat(engine.store().findByExternalId("fake", "wamid.1").orElseThrow().deliveryStatus()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(engine.store().logs(LogQuery.all()).get(0).deliveryStatus()).isEqualTo(DeliveryStatus.DELIVERED);

    engine.webhooks().handle("fake", post("ok", "status wamid.1 READ"));
    engine.webhooks().handle("fake", post("ok", "status wamid.1 DELIVERED")); // late replay
    assertThat(engine.store().findByExternalId("fake", "wamid.1").orElseThrow().deliveryStatus()).isEqualTo(DeliveryStatus.READ);
  }

  /** Before, a status that overtook its send's outcome was answered 200 and lost. */
  @Test
  void recentStatusForAMessageNotStoredYet_isAskedForAgain_andAppliedWhenItComesBack() {
    start();
    engine.fire("m", Map.of(), Map.of());

    assertThat(engine.webhooks().handle("fake", post("ok", "status wamid.1 DELIVERED")).status()).isEqualTo(503);
    engine.dispatchNow(); // the outcome with wamid.1 is stored
    assertThat(engine.webhooks().handle("fake", post("ok", "status wamid.1 DELIVERED")).status()).isEqualTo(200);

    assertThat(engine.store().findByExternalId("fake", "wamid.1").orElseThrow().deliveryStatus()).isEqualTo(DeliveryStatus.DELIVERED);
  }

  @Test
  void oldStatusForAMessageNotifyDoesNotHold_isAcceptedAndIgnored() {
    start();
    clock.advance(java.time.Duration.ofMinutes(10)); // the fake provider stamps its statuses T0

    assertThat(engine.webhooks().handle("fake", post("ok", "status wamid.999 DELIVERED")).status()).isEqualTo(200);
  }

  /** Found by a review: a provider that stamps statuses with their arrival had them asked for again for ever. */
  @Test
  void statusStampedWithItsArrival_forAMessageNotifyDoesNotHold_isAcceptedTwoMinutesAfterItWasFirstSeen() {
    start();
    fake.stamp = clock::instant;

    assertThat(engine.webhooks().handle("fake", post("ok", "status other.1 DELIVERED")).status()).isEqualTo(503);
    clock.advance(java.time.Duration.ofMinutes(3));

    assertThat(engine.webhooks().handle("fake", post("ok", "status other.1 DELIVERED")).status()).isEqualTo(200);
  }

  @Test
  void forgedWebhook_isRejectedAndChangesNothing() {
    start();
    engine.fire("m", Map.of(), Map.of());
    engine.dispatchNow();

    WebhookResponse r = engine.webhooks().handle("fake", post("forged", "status wamid.1 FAILED"));

    assertThat(r.status()).isEqualTo(401);
    assertThat(engine.store().findByExternalId("fake", "wamid.1").orElseThrow().deliveryStatus()).isEqualTo(DeliveryStatus.NONE);
  }

  @Test
  void inboundStopMessage_blacklistsTheSender_andLaterSendsAreSkipped() {
    start();

    engine.webhooks().handle("fake", post("ok", "inbound 6281234567890 STOP"));
    engine.fire("m", Map.of(), Map.of());
    engine.dispatchNow();

    assertThat(engine.blacklist().find("+6281234567890")).hasValueSatisfying(b -> assertThat(b.reason()).contains("opted out via fake"));
    assertThat(engine.store().logs(LogQuery.all())).singleElement().satisfies(l -> assertThat(l.reason()).isEqualTo("blacklisted"));
  }

  /** Before, only the bare word matched: "Stop!" and "BERHENTI." were no opt-out, and the sender kept getting messages. */
  @ParameterizedTest
  @ValueSource(strings = {"Stop!", "BERHENTI.", "stop...", "Berhenti🙏"})
  void stopWordWithPunctuation_blacklistsTheSender(String reply) {
    start();

    engine.webhooks().handle("fake", post("ok", "inbound 6281234567890 " + reply));

    assertThat(engine.blacklist().contains("+6281234567890")).isTrue();
  }

  /** Before, a number written the local way became "+0812..." and the opt-out was dropped without a word. */
  @Test
  void stopFromANumberWrittenTheLocalWay_blacklistsThatNumber() {
    start();

    engine.webhooks().handle("fake", post("ok", "inbound 081234567890 stop"));

    assertThat(engine.blacklist().contains("+6281234567890")).isTrue();
  }

  /**
   * Before, "batal" and "cancel" were default stop words: an applicant who answered a permit notice with "batal"
   * (cancel the application or appointment) was blacklisted and silently missed every later notice.
   */
  @ParameterizedTest
  @ValueSource(strings = {"batal", "Batal.", "cancel", "CANCEL"})
  void cancelWords_areNoOptOutByDefault(String reply) {
    start();

    engine.webhooks().handle("fake", post("ok", "inbound 6281234567890 " + reply));

    assertThat(engine.blacklist().list()).isEmpty();
  }

  @Test
  void stopWordsSetOnTheBuilder_replaceTheDefaults() {
    engine = NotificationEngine.builder().clock(clock).environment(k -> null).backgroundDispatch(false).provider(fake)
        .stopWords(java.util.Set.of("batal")).build().start();

    engine.webhooks().handle("fake", post("ok", "inbound 6281234567890 stop"));
    engine.webhooks().handle("fake", post("ok", "inbound 6281234567891 Batal!"));

    assertThat(engine.blacklist().list()).extracting(BlacklistEntry::phone).containsExactly("+6281234567891");
  }

  @Test
  void inboundOrdinaryMessage_doesNotBlacklist() {
    start();

    engine.webhooks().handle("fake", post("ok", "inbound 6281234567890 terima_kasih"));

    assertThat(engine.blacklist().list()).isEmpty();
  }

  @Test
  void unknownProviderAndOversizedBody_getSpecificStatuses() {
    start();

    assertThat(engine.webhooks().handle("nope", post("ok", "x")).status()).isEqualTo(404);
    byte[] big = new byte[WebhookRequest.MAX_BODY_BYTES + 1];
    assertThat(engine.webhooks().handle("fake", WebhookRequest.post(Map.of("x-sig", "ok"), big)).status()).isEqualTo(413);
  }
}
