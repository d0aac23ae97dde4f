package io.scriptforge.operator.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.scriptforge.crd.App;
import io.scriptforge.operator.Fixtures;
import org.junit.jupiter.api.Test;

/** An App manifest is checked as config.json would be read, and each problem says where it is. */
class AppManifestCheckTest {
    private static final String NOTES = """
            apiVersion: scriptforge.io/v1alpha1
            kind: App
            metadata: {name: notes, namespace: default, generation: 1}
            spec:
              domain: example.com
              passwordSecretRef: {name: notes-secret, key: password}
              database:
                init:
                  - {cmd: table, name: notes, init: [
                      {cmd: column, name: id, type: BIGSERIAL PRIMARY KEY},
                      {cmd: column, name: text, type: VARCHAR(200)}]}
                  - {cmd: statement, name: add, query: "INSERT INTO notes (text, sip) VALUES (%s, %s)",
                     args: {text: {type: string}, "@sip": {type: string}}, monitor: notes}
              config: {init: [{cmd: item, name: level, type: INT, default: 5, min: 1, max: 10},
                              {cmd: mode, name: owner.admin, read: true, write: true}]}
              dbfiles: {init: [{cmd: start, name: myfiles, folder: "BIGINT"}]}
              javascript: {eval: ["lib/*", "service.js"]}
              files:
                lib/util.js: "exports.x = 1;"
                service.js: "new JsonApi('notes');"
            """;

    @Test
    void theIssuesExampleManifestIsValid() {
        assertThat(AppManifestCheck.problems(app(NOTES).getSpec())).isEmpty();
    }

    @Test
    void placeholdersAndArgsMustMatchInNumber() {
        assertThat(problems(NOTES.replace("VALUES (%s, %s)", "VALUES (%s, %s, %i)")))
                .containsExactly("spec.database.init[1]: the query has 3 placeholder(s) but args declares 2; each %s %u %i %llu %lli %b binds the next arg in order");
    }

    @Test
    void anUnknownArgTypeIsNamed() {
        assertThat(problems(NOTES.replace("text: {type: string}", "text: {type: varchar}")))
                .containsExactly("spec.database.init[1].args.text.type: 'varchar' is not one of [string, int, unsigned, long, ulong64, bool]");
    }

    @Test
    void anEvalEntryMustMatchAFile() {
        assertThat(problems(NOTES.replace("\"service.js\"]", "\"main.js\"]")))
                .containsExactly("spec.javascript.eval[1]: 'main.js' matches no file in spec.files");
    }

    @Test
    void aChoiceItemNeedsOptionsAndUnknownCommandsAreRefused() {
        assertThat(problems(NOTES.replace("type: INT, default: 5", "type: CHOICE, default: 5").replace("cmd: mode", "cmd: role")))
                .containsExactly("spec.config.init[0].options: a CHOICE item needs its options",
                        "spec.config.init[1].cmd: 'role' is not a config command (use item or mode)");
    }

    private static java.util.List<String> problems(String yaml) {
        return AppManifestCheck.problems(app(yaml).getSpec());
    }

    private static App app(String yaml) {
        return Fixtures.parse(App.class, yaml);
    }
}
