package dev.notify.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeysTest {
  @Test
  void shortKey_isStoredAsIs_longKeyAsItsDigest() {
    String longA = "permit:" + "x".repeat(300) + ":a";
    String longB = "permit:" + "x".repeat(300) + ":b";

    assertThat(Keys.stored("permit:1:approved")).isEqualTo("permit:1:approved");
    assertThat(Keys.stored(longA)).startsWith("sha256:").hasSize(71).isEqualTo(Keys.stored(longA));
    assertThat(Keys.stored(longA)).isNotEqualTo(Keys.stored(longB));
  }
}
