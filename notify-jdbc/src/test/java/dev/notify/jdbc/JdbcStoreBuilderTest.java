package dev.notify.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

class JdbcStoreBuilderTest {
  private final DataSource dataSource = new JdbcDataSource();

  @Test
  void tablePrefix_outsideLowerCaseLettersDigitsAndUnderscore_isRefusedNamingIt() {
    assertThatThrownBy(() -> JdbcStore.builder(dataSource).tablePrefix("Notify-"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("table prefix must match [a-z][a-z0-9_]{0,31}, got 'Notify-'");
    assertThatThrownBy(() -> JdbcStore.builder(dataSource).tablePrefix("x; DROP TABLE y"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 'x; DROP TABLE y'");
  }

  @Test
  void settingMadeTwice_isRefusedNamingTheFirstValue() {
    assertThatThrownBy(() -> JdbcStore.builder(dataSource).tablePrefix("a_").tablePrefix("b_"))
        .isInstanceOf(IllegalStateException.class).hasMessage("tablePrefix was already set to 'a_'");
    assertThatThrownBy(() -> JdbcStore.builder(dataSource).dialect(JdbcDialect.H2).dialect(JdbcDialect.POSTGRES))
        .isInstanceOf(IllegalStateException.class).hasMessage("dialect was already set to H2");
    assertThatThrownBy(() -> JdbcStore.builder(dataSource).migrate(false).migrate(true))
        .isInstanceOf(IllegalStateException.class).hasMessage("migrate was already set to false");
  }

  @Test
  void h2InMemory_withAnUnsafeName_isRefusedNamingIt() {
    assertThatThrownBy(() -> JdbcStore.h2InMemory("a;INIT=RUNSCRIPT"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("h2 in-memory database name must match [A-Za-z0-9_-]{1,100}, got 'a;INIT=RUNSCRIPT'");
  }

  @Test
  void dialect_isDetectedFromTheDatabaseWhenNotSet() {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:detect-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    JdbcStore store = JdbcStore.builder(h2).tablePrefix("detect_").build();
    try {
      store.start();
      assertThat(store.dialect()).isEqualTo(JdbcDialect.H2);
      assertThat(store.tablePrefix()).isEqualTo("detect_");
    } finally {
      store.close();
    }
  }

  @Test
  void unknownDatabaseProduct_isRefusedNamingIt() {
    assertThatThrownBy(() -> JdbcDialect.fromProductName("Oracle"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unsupported database 'Oracle': notify-jdbc supports H2, PostgreSQL, MariaDB and MySQL");
  }
}
