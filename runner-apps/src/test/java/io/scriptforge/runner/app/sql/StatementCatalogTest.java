package io.scriptforge.runner.app.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scriptforge.runner.app.schema.TestManifests;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StatementCatalogTest {
    private final StatementCatalog catalog = new StatementCatalog(TestManifests.withDatabase("""
            [{"cmd": "statement", "name": "list", "query": "SELECT 'anyone'"},
             {"cmd": "statement", "name": "list", "mode": "owner", "query": "SELECT 'owner'"},
             {"cmd": "statement", "name": "list", "mode": "owner.admin", "query": "SELECT 'admin'"},
             {"cmd": "statement", "name": "purge", "mode": "owner.admin", "query": "SELECT 'purge'"},
             {"cmd": "statement", "name": "report", "mode": "sales", "query": "SELECT 'sales'"},
             {"cmd": "statement", "name": "report", "mode": "support", "query": "SELECT 'support'"}]"""));

    @Test
    void theMostSpecificGrantedModeWins() throws StatementRefused {
        assertThat(catalog.select("list", Set.of("owner", "admin")).query()).isEqualTo("SELECT 'admin'");
        assertThat(catalog.select("list", Set.of("owner")).query()).isEqualTo("SELECT 'owner'");
    }

    @Test
    void aSessionWithoutAGrantedModeGetsTheModelessFallback() throws StatementRefused {
        assertThat(catalog.select("list", Set.of()).query()).isEqualTo("SELECT 'anyone'");
        assertThat(catalog.select("list", Set.of("admin")).query()).isEqualTo("SELECT 'anyone'");
    }

    @Test
    void amongEquallySpecificModesTheOneDeclaredFirstWins() throws StatementRefused {
        assertThat(catalog.select("report", Set.of("support", "sales")).query()).isEqualTo("SELECT 'sales'");
    }

    @Test
    void aStatementWithOnlyModedVariantsIsRefusedToOtherSessions() {
        assertThatThrownBy(() -> catalog.select("purge", Set.of("owner")))
                .isInstanceOf(StatementRefused.class)
                .hasMessage("statement 'purge' needs mode owner.admin; this session has modes [owner]");
        assertThatThrownBy(() -> catalog.select("report", Set.of()))
                .hasMessage("statement 'report' needs mode sales or support; this session has modes []");
    }

    @Test
    void anUnknownNameIsRefusedListingTheKnownOnes() {
        assertThatThrownBy(() -> catalog.select("drop", Set.of("owner")))
                .isInstanceOf(StatementRefused.class)
                .hasMessage("no statement 'drop' (known: list, purge, report)");
    }
}
