package io.scriptforge.runner.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class RunnerDatabaseTest {
    private final RunnerDatabase db = TestDatabase.shared();

    @Test
    void embeddedServerAnswers() throws SQLException {
        String version = db.inTransaction(c -> {
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SHOW server_version")) {
                rs.next();
                return rs.getString(1);
            }
        });
        assertThat(version).startsWith("18.");
    }

    @Test
    void aFailedTransactionLeavesNothing() throws SQLException {
        db.inTransaction(c -> c.createStatement().execute("CREATE TABLE IF NOT EXISTS rollback_probe (n INT)"));
        assertThatThrownBy(() -> db.inTransaction(c -> {
                    c.createStatement().execute("INSERT INTO rollback_probe VALUES (1)");
                    throw new SQLException("boom");
                }))
                .hasMessage("boom");
        int rows = db.inTransaction(c -> {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM rollback_probe")) {
                rs.next();
                return rs.getInt(1);
            }
        });
        assertThat(rows).isZero();
    }

    @Test
    void anAppsPoolConnectsWithItsOwnCredentialsNotTheRunnersFromTheUrl() {
        assertThat(RunnerDatabase.withoutCredentials(
                        "jdbc:postgresql://db:5432/apps?user=runner&password=s3cret&sslmode=require"))
                .isEqualTo("jdbc:postgresql://db:5432/apps?sslmode=require");
        assertThat(RunnerDatabase.withoutCredentials("jdbc:postgresql://localhost:5432/postgres?user=postgres"))
                .isEqualTo("jdbc:postgresql://localhost:5432/postgres");
        assertThat(RunnerDatabase.withoutCredentials("jdbc:postgresql://db/apps"))
                .isEqualTo("jdbc:postgresql://db/apps");
    }
}
