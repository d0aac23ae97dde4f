package io.scriptforge.runner.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The one prepare-bind-execute helper, against a real PostgreSQL. */
class SqlTest {
    private static final RunnerDatabase DB = TestDatabase.shared();

    @BeforeAll
    static void aTable() throws SQLException {
        DB.inTransaction(c -> {
            Sql.update(c, "DROP TABLE IF EXISTS sql_test");
            return Sql.update(c, "CREATE TABLE sql_test (id bigint PRIMARY KEY, name text NOT NULL, n int NOT NULL)");
        });
    }

    @Test
    void parametersBindInOrderAndEachCallReadsWhatItSays() throws SQLException {
        DB.inTransaction(c -> {
            Sql.update(c, "DELETE FROM sql_test");
            assertThat(Sql.update(c, "INSERT INTO sql_test VALUES (?, ?, ?), (?, ?, ?)", 1L, "one", 10, 2L, "two", 20))
                    .isEqualTo(2);
            assertThat(Sql.first(c, "SELECT name FROM sql_test WHERE id = ? AND n = ?", r -> r.getString(1), 2L, 20))
                    .hasValue("two");
            assertThat(Sql.first(c, "SELECT name FROM sql_test WHERE id = ?", r -> r.getString(1), 3L))
                    .isEmpty();
            assertThat(Sql.exists(c, "SELECT 1 FROM sql_test WHERE name = ?", "one"))
                    .isTrue();
            assertThat(Sql.exists(c, "SELECT 1 FROM sql_test WHERE name = ?", "one'; DROP TABLE sql_test; --"))
                    .isFalse();
            assertThat(Sql.list(c, "SELECT id FROM sql_test WHERE n > ? ORDER BY id DESC", r -> r.getLong(1), 0))
                    .containsExactly(2L, 1L);
            return null;
        });
    }

    @Test
    void aNullParameterIsRefusedNamingItsPlaceAndTheStatement() {
        assertThatThrownBy(() ->
                        DB.inTransaction(c -> Sql.update(c, "DELETE FROM sql_test WHERE name = ?", (Object) null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parameter 1 of [DELETE FROM sql_test WHERE name = ?] is null");
    }
}
