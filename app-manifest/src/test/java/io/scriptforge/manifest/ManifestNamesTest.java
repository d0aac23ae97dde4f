package io.scriptforge.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.scriptforge.crd.AppSpec;
import io.scriptforge.crd.InitList;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Names and placeholders of a manifest's database part, checked where the app author wrote them. */
class ManifestNamesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRelationNameMayBeDeclaredOnceAcrossTablesIndexesConstraintsAndSequences() throws IOException {
        List<String> problems = problems("""
                [{"cmd": "table", "name": "notes", "init": [
                   {"cmd": "column", "name": "id", "type": "BIGSERIAL PRIMARY KEY"},
                   {"cmd": "index", "name": "by_id", "columns": "id"},
                   {"cmd": "constraint", "name": "Notes", "def": "CHECK (id > 0)"}]},
                 {"cmd": "sequence", "name": "BY_ID"},
                 {"cmd": "table", "name": "tags", "init": [{"cmd": "column", "name": "id", "type": "BIGINT"}]},
                 {"cmd": "index", "table": "tags", "name": "tags", "columns": "id"},
                 {"cmd": "table", "name": "NOTES", "init": [{"cmd": "column", "name": "id", "type": "BIGINT"}]}]""");

        String shared =
                " (tables, indexes, constraints and sequences share one namespace, case-insensitively): choose another name";
        assertThat(problems)
                .containsExactly(
                        "spec.database.init[0].init[2].name: 'Notes' is already the name of the table declared at spec.database.init[0]"
                                + shared,
                        "spec.database.init[1].name: 'BY_ID' is already the name of the index declared at spec.database.init[0].init[1]"
                                + shared,
                        "spec.database.init[3].name: 'tags' is already the name of the table declared at spec.database.init[2]"
                                + shared,
                        "spec.database.init[4].name: 'NOTES' is already the name of the table declared at spec.database.init[0]"
                                + shared);
    }

    @Test
    void thePlatformsPrefixIsRefusedForEveryRelation() throws IOException {
        assertThat(problems("""
                [{"cmd": "table", "name": "notes", "init": [
                   {"cmd": "column", "name": "sf_id", "type": "BIGINT"},
                   {"cmd": "index", "name": "sf_dbfiles_folder", "columns": "sf_id"}]},
                 {"cmd": "sequence", "name": "SF_counter"}]"""))
                .containsExactly(
                        "spec.database.init[0].init[1].name: index names starting with sf_ are the platform's own; choose another name",
                        "spec.database.init[1].name: sequence names starting with sf_ are the platform's own; choose another name");
    }

    @Test
    void placeholdersAreCountedAsTheRunnerBindsThem() throws IOException {
        String statement = """
                [{"cmd": "statement", "name": "find", "query": "SELECT '%%s', 'a %s' FROM t WHERE x LIKE '%' || %s -- or %i",
                  "args": [{"name": "x", "type": "string"}]}]""";

        assertThat(problems(statement)).isEmpty();
        assertThat(SqlTemplate.parse("SELECT '%%s', 'a %s' FROM t WHERE x LIKE '%' || %s -- or %i")
                        .placeholders())
                .isEqualTo(1);
        assertThat(problems(statement.replace("[{\"name\": \"x\", \"type\": \"string\"}]", "[]")))
                .containsExactly("spec.database.init[0]: the query has 1 placeholder(s) but args declares 0;"
                        + " each %s %u %i %llu %lli %b binds the next arg in order");
    }

    @Test
    void aModeIsWrittenOwnerFirstAndComparedAsASetOfParts() {
        assertThat(Mode.parse("owner.admin").text()).isEqualTo("owner.admin");
        assertThat(Mode.parse("admin.owner").text()).isEqualTo("owner.admin");
        assertThat(Mode.parse("zeta.owner.alpha").text()).isEqualTo("owner.alpha.zeta");
        assertThat(Mode.parse("zeta.alpha").text()).isEqualTo("alpha.zeta");
        assertThat(Mode.parse("owner").text()).isEqualTo("owner");
        assertThat(Mode.parse("admin.owner"))
                .isEqualTo(Mode.parse("owner.admin"))
                .hasSameHashCodeAs(Mode.parse("owner.admin"));
    }

    private static List<String> problems(String databaseInit) throws IOException {
        AppSpec spec = new AppSpec();
        spec.setDomain("example.com");
        spec.setDatabase(JSON.readValue("{\"init\": " + databaseInit + "}", InitList.class));
        return AppManifestParser.problems(spec, true);
    }
}
