package io.scriptforge.runner.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/** What makes an App wait for its database rather than fail: the database did not answer, as opposed to refused. */
class DatabaseUnavailableTest {

    @Test
    void aDatabaseThatDoesNotAnswerIsWaitedFor() {
        assertThat(DatabaseUnavailable.causedBy(new SQLException("Connection to db:5432 refused.", "08001")))
                .isTrue();
        assertThat(DatabaseUnavailable.causedBy(new SQLException("FATAL: the database system is starting up", "57P03")))
                .isTrue();
        assertThat(DatabaseUnavailable.causedBy(
                        new SQLException("FATAL: terminating connection due to administrator command", "57P01")))
                .isTrue();
        assertThat(DatabaseUnavailable.causedBy(new SQLException("FATAL: sorry, too many clients already", "53300")))
                .isTrue();
        assertThat(DatabaseUnavailable.causedBy(
                        new SQLTransientConnectionException("apps - Connection is not available")))
                .isTrue();
        assertThat(DatabaseUnavailable.causedBy(
                        new SQLException("I/O error", null, new ConnectException("Connection refused"))))
                .isTrue();
    }

    @Test
    void itIsFoundBehindThePoolsOwnFailure() {
        RuntimeException pool = new RuntimeException(
                "Failed to initialize pool: Connection to db:5432 refused.",
                new SQLException("Connection to db:5432 refused.", "08001"));

        assertThat(DatabaseUnavailable.causedBy(pool)).isTrue();
        assertThat(DatabaseUnavailable.message(pool)).isEqualTo("Connection to db:5432 refused.");
    }

    @Test
    void aDatabaseThatAnswersAndRefusesIsNot() {
        assertThat(DatabaseUnavailable.causedBy(new SQLException("permission denied for schema scriptforge", "42501")))
                .isFalse();
        assertThat(DatabaseUnavailable.causedBy(
                        new SQLException("password authentication failed for user \"runner\"", "28P01")))
                .isFalse();
        assertThat(DatabaseUnavailable.causedBy(new IllegalStateException("no database: set scriptforge.database.url")))
                .isFalse();
    }
}
