package dev.notify.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageTemplateTest {

  @Test
  void render_fillsEveryPlaceholder_keepingTextAroundThem() {
    MessageTemplate t = MessageTemplate.of("k", "{{a}}: Yth. {{ name }}, izin {{no}} ({{a}}) $1 \\\\ selesai");

    assertThat(t.render(Map.of("a", "X", "name", "Budi", "no", 7))).isEqualTo("X: Yth. Budi, izin 7 (X) $1 \\\\ selesai");
    assertThat(t.variables()).containsExactly("a", "name", "no");
  }

  @Test
  void render_withAMissingValue_namesTemplateAndVariable() {
    MessageTemplate t = MessageTemplate.of("permit_ready", "Yth. {{partner_name}}");

    assertThatThrownBy(() -> t.render(Map.of()))
        .isInstanceOf(TemplateRenderException.class)
        .hasMessage("template 'permit_ready' needs variable 'partner_name' but it has no value");
  }

  @Test
  void bodyWithoutPlaceholders_rendersAsIs() {
    assertThat(MessageTemplate.of("k", "Terima kasih.").render(Map.of())).isEqualTo("Terima kasih.");
  }

  @Test
  void mapping_isKeptPerProvider() {
    MessageTemplate t = MessageTemplate.of("k", "x").withMapping("meta", TemplateMapping.of("permit_ready_v2", "id", "partner_name"));

    assertThat(t.mapping("meta")).contains(TemplateMapping.of("permit_ready_v2", "id", "partner_name"));
    assertThat(t.mapping("fonnte")).isEmpty();
  }

  /** Before, these were no placeholders and were sent as written: "Halo {{1}}". */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
      "Halo {{1}}, izin terbit|5", "Izin {{nomor-izin}} terbit|5", "Halo {{nama}}, izin {{nomor izin}}|20",
      "Halo {{nama}} {{|14", "Halo {{{{nama}}}}|5"})
  void braces_thatAreNoPlaceholder_areRefusedWithTheirOffset(String body, int offset) {
    assertThatThrownBy(() -> MessageTemplate.of("k", body))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessageContaining("template 'k' has '{{")
        .hasMessageContaining("at offset " + offset);
  }

  /** Found by a review: a value shown in braces was refused with the check for braces that are no placeholder. */
  @Test
  void placeholderInBraces_rendersTheValueInBraces() {
    assertThat(MessageTemplate.of("k", "Total: {{{amount}}}").render(Map.of("amount", "15000"))).isEqualTo("Total: {15000}");
  }
}
