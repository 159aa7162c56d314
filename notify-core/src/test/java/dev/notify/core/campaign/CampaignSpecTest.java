package dev.notify.core.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.notify.core.CampaignSpec;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CampaignSpecTest {

  @Test
  void defaults_areBatchesOf100Every5MinutesSkippingAddressBookNumbers() {
    CampaignSpec s = CampaignSpec.builder("c").template("t").targets("people").build();

    assertThat(s.batchSize()).isEqualTo(100);
    assertThat(s.batchInterval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(s.skipRecipientsInAddressBook()).isTrue();
    assertThat(s.scheduledAt()).isEmpty();
    assertThat(s.targetParams()).isEmpty();
  }

  @Test
  void blankName_isRejected() {
    assertThatThrownBy(() -> CampaignSpec.builder(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("campaign name must not be blank, got ' '");
  }

  @Test
  void batchSizeOutOfRange_isRejectedWithTheValue() {
    assertThatThrownBy(() -> CampaignSpec.builder("c").batchSize(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("campaign 'c' batch size must be between 1 and 100000, got 0");
    assertThatThrownBy(() -> CampaignSpec.builder("c").batchSize(100_001))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("campaign 'c' batch size must be between 1 and 100000, got 100001");
  }

  @Test
  void negativeBatchInterval_isRejected() {
    assertThatThrownBy(() -> CampaignSpec.builder("c").batchInterval(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("campaign 'c' batch interval must not be negative, got PT-1S");
  }

  @Test
  void targetsSetTwice_isAConflict() {
    assertThatThrownBy(() -> CampaignSpec.builder("c").targets("a").targets("b"))
        .isInstanceOf(IllegalStateException.class).hasMessage("campaign 'c' targets already set to 'a'");
  }

  @Test
  void nullTargetParameter_isRejected() {
    Map<String, String> params = new HashMap<>();
    params.put("days", null);
    assertThatThrownBy(() -> CampaignSpec.builder("c").targets("a", params))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("campaign 'c' target params must not hold null, got days=null");
  }

  @Test
  void missingTargets_isRejectedAtBuild() {
    assertThatThrownBy(() -> CampaignSpec.builder("c").template("t").build())
        .isInstanceOf(IllegalStateException.class).hasMessage("campaign 'c' needs targets(sourceName, params)");
  }

  @Test
  void missingRuleAndTemplate_isRejectedAtBuild() {
    assertThatThrownBy(() -> CampaignSpec.builder("c").targets("people").build())
        .isInstanceOf(IllegalStateException.class).hasMessage("campaign 'c' needs a rule(name) or a template(key)");
  }

  @Test
  void targetParams_areCopied() {
    Map<String, String> params = new HashMap<>(Map.of("days", "30"));
    CampaignSpec s = CampaignSpec.builder("c").template("t").targets("people", params).build();
    params.put("days", "60");

    assertThat(s.targetParams()).isEqualTo(Map.of("days", "30"));
  }
}
