package io.scriptforge.runner.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An App's schema and role name: one per namespace/name pair, safe to quote, within PostgreSQL's 63 bytes. */
class AppSchemaTest {

    @Test
    void plainKubernetesNamesStayReadable() {
        assertThat(AppSchema.of("default", "notes").name()).isEqualTo("app7_default_notes");
        assertThat(AppSchema.of("team-a", "my-app").name()).isEqualTo("app6_team_a_my_app");
    }

    @Test
    void pairsThatSharedANameBeforeNoLongerDo() {
        // Each pair gave one name before: one tenant's SQL read the other's rows.
        List<List<String>> colliding = List.of(
                List.of("ns-a", "b", "ns", "a-b"),
                List.of("abuse-b", "notes", "abuse", "b-notes"),
                List.of("a", "b-c-d", "a-b", "c-d"),
                List.of("a-b-c", "d", "a-b", "c-d"),
                List.of("x", "y--z", "x-y", "-z"));
        for (List<String> pair : colliding) {
            AppSchema first = AppSchema.of(pair.get(0), pair.get(1));
            AppSchema second = AppSchema.of(pair.get(2), pair.get(3));
            assertThat(first.legacyName()).as("the old names of %s", pair).isEqualTo(second.legacyName());
            assertThat(first.name()).as("the names of %s", pair).isNotEqualTo(second.name());
        }
    }

    @Test
    void namesThatDifferOnlyInDashOrUnderscoreDiffer() {
        assertThat(AppSchema.of("team", "my-app").name())
                .isNotEqualTo(AppSchema.of("team", "my_app").name())
                .isNotEqualTo(AppSchema.of("team", "my.app").name())
                .isNotEqualTo(AppSchema.of("team", "My-App").name());
        assertThat(AppSchema.of("team", "my_app").name()).startsWith("apph_").matches("[a-z0-9_]+");
    }

    @Test
    void longNamesNearTheLimitStayWithinItAndApart() {
        // 63 bytes is PostgreSQL's limit; names from 50 to 70 characters cross it one way or the other.
        Map<String, String> owners = new HashMap<>();
        for (int length = 50; length <= 70; length++) {
            for (String ns : List.of("n", "team-a", "n".repeat(length - 10))) {
                for (String app :
                        List.of("a".repeat(length), "a".repeat(length - 1) + "b", "a-".repeat(length / 2) + "a")) {
                    String name = AppSchema.of(ns, app).name();
                    assertThat(name).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9_]+");
                    String before = owners.put(name, ns + "/" + app);
                    assertThat(before)
                            .as("%s and %s/%s share %s", before, ns, app, name)
                            .isIn((String) null, ns + "/" + app);
                }
            }
        }
    }

    @Test
    void theLongestPlainNameThatFitsIsKeptWholeAndOneMoreIsHashed() {
        String fits = "a".repeat(63 - "app2_ns_".length());
        assertThat(AppSchema.of("ns", fits).name()).isEqualTo("app2_ns_" + fits);
        assertThat(AppSchema.of("ns", fits + "a").name()).startsWith("apph_").hasSize(63);
    }

    @Test
    void newNamesNeverMeetTheOldOnes() {
        // A schema renamed on migration must never be mistaken for one under the old naming, nor the reverse.
        for (String ns : List.of("4", "12", "team-a", "default")) {
            for (String app : List.of("test-a-b", "notes", "x")) {
                AppSchema schema = AppSchema.of(ns, app);
                assertThat(schema.legacyName()).startsWith("app_");
                assertThat(schema.name()).doesNotStartWith("app_");
            }
        }
        assertThat(AppSchema.of("4", "test-a-b").legacyName()).isEqualTo("app_4_test_a_b");
        assertThat(AppSchema.of("test", "a-b").name()).isEqualTo("app4_test_a_b");
    }
}
