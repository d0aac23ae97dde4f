package io.scriptforge.runner.app.schema;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.scriptforge.crd.App;
import io.scriptforge.crd.AppSpec;
import io.scriptforge.crd.InitList;
import io.scriptforge.manifest.AppManifest;
import io.scriptforge.manifest.AppManifestException;
import io.scriptforge.manifest.AppManifestParser;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Manifests for tests, written the way config.json writes them and read by the real parser. */
public final class TestManifests {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestManifests() {}

    /** An app whose {@code database.init} is {@code initJson} (a JSON array of commands). */
    public static AppManifest withDatabase(String initJson) {
        try {
            App app = new App();
            app.setMetadata(new ObjectMetaBuilder()
                    .withNamespace("test")
                    .withName("app")
                    .build());
            AppSpec spec = new AppSpec();
            spec.setDomain("example.com");
            spec.setDatabase(JSON.readValue("{\"init\": " + initJson + "}", InitList.class));
            app.setSpec(spec);
            return AppManifestParser.parse(app, null, null, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (AppManifestException e) {
            throw new IllegalArgumentException("test manifest is invalid: " + e.getMessage(), e);
        }
    }
}
