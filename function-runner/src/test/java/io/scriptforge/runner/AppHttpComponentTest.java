package io.scriptforge.runner;

import static io.scriptforge.runner.AppSession.message;
import static io.scriptforge.runner.AppSession.mt;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** An App's HTTP face: static files, its service's handlers, dbfiles, the discovery list, an App that failed to start. */
@QuarkusTest
class AppHttpComponentTest extends RunnerTestBase {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private HttpResponse<byte[]> get(String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(base + path.substring(1)))
                        .timeout(java.time.Duration.ofSeconds(20))
                        .header("Authorization", RunnerClient.CONTROL_AUTHORIZATION)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<String> post(String pathAndQuery, byte[] body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(base + pathAndQuery.substring(1)))
                        .timeout(java.time.Duration.ofSeconds(20))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private AppSession session() {
        AppSession session = AppSession.open(base, "default", "notes");
        assertThat(session.login("notes", "example.com", "files-user", "pwd")
                        .path("ok")
                        .asBoolean())
                .isTrue();
        return session;
    }

    @Test
    void staticFilesAreServedButNeverTheServiceJs() throws Exception {
        HttpResponse<byte[]> index = get("/apps/default/notes/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(new String(index.body())).contains("notes");
        assertThat(index.headers().firstValue("content-type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(get("/apps/default/notes/app.css").headers().firstValue("content-type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/css"));
        assertThat(get("/apps/default/notes/service.js").statusCode()).isEqualTo(404);
        assertThat(get("/apps/default/notes/lib/greeting.js").statusCode()).isEqualTo(404);
        assertThat(get("/apps/default/notes/../../v1/scripts").statusCode()).isNotEqualTo(200);
    }

    @Test
    void otherPathsGoToTheServicesHandlers() throws Exception {
        HttpResponse<byte[]> hello = get("/apps/default/notes/hello?name=there");
        assertThat(hello.statusCode()).isEqualTo(200);
        assertThat(new String(hello.body())).isEqualTo("hello there");
        assertThat(get("/apps/default/notes/nothing-here").statusCode()).isEqualTo(404);
    }

    @Test
    void theDiscoveryListShowsWhatAppsPublishAndWhyOneIsNotServed() throws Exception {
        JsonNode apps = RunnerClient.parse(new String(get("/v1/apps").body()));
        JsonNode notes = find(apps, "notes");
        assertThat(notes.path("ready").asBoolean()).isTrue();
        assertThat(notes.path("url").asText()).isEqualTo("/apps/default/notes/");
        assertThat(notes.path("apis").path("notes").has("com.example.notes")).isTrue();
        assertThat(notes.path("serviceApis")
                        .path("notes")
                        .path("com.innovaphone.provisioning")
                        .path("title")
                        .asText())
                .isEqualTo("Notes");
        JsonNode broken = find(apps, "broken");
        assertThat(broken.path("ready").asBoolean()).isFalse();
        assertThat(broken.path("problem").asText()).contains("service.js:2:").contains("undefinedFunction");
        HttpResponse<byte[]> refused = get("/apps/default/broken/");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(new String(refused.body())).contains("service.js:2:");
    }

    private static JsonNode find(JsonNode apps, String name) {
        for (JsonNode app : apps) {
            if (name.equals(app.path("name").asText())) {
                return app;
            }
        }
        throw new AssertionError("no app " + name + " in " + apps);
    }

    @Test
    void aFileRoundTripsByteForByteAndCanBeDeleted() throws Exception {
        byte[] content = new byte[(int) (1.5 * 1024 * 1024)];
        new Random(42).nextBytes(content);
        try (AppSession session = session()) {
            HttpResponse<String> stored = post(
                    "/apps/default/notes/?dbfiles=myfiles&folder=7001&name=photo.png&key=" + session.dbfilesKey(),
                    content);
            assertThat(stored.statusCode()).isEqualTo(200);
            JsonNode answer = RunnerClient.parse(stored.body());
            assertThat(answer.path("ok").asBoolean()).isTrue();
            long id = answer.path("id").asLong();

            session.send(message("DbFilesList", "l").put("name", "myfiles").put("folder", 7001));
            JsonNode file =
                    session.next(mt("DbFilesListResult", "l")).path("files").get(0);
            assertThat(file.path("id").asLong()).isEqualTo(id);
            assertThat(file.path("name").asText()).isEqualTo("photo.png");
            assertThat(file.path("size").asLong()).isEqualTo(content.length);
            HttpResponse<byte[]> download = get(file.path("url").asText());
            assertThat(download.statusCode()).isEqualTo(200);
            assertThat(sha256(download.body())).isEqualTo(sha256(content));
            assertThat(get(file.path("url").asText().replaceAll("token=[0-9a-f]+", "token=00"))
                            .statusCode())
                    .isEqualTo(403);

            HttpResponse<String> deleted = post(
                    "/apps/default/notes/?dbfiles=myfiles&del=" + id + "&key=" + session.dbfilesKey(), new byte[0]);
            assertThat(RunnerClient.parse(deleted.body()).path("ok").asBoolean())
                    .isTrue();
            assertThat(get(file.path("url").asText()).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aDownloadUrlDiesWithTheSessionThatListedItAndItsExpiryCannotBeMovedOn() throws Exception {
        String url;
        try (AppSession session = session()) {
            assertThat(post(
                                    "/apps/default/notes/?dbfiles=myfiles&folder=7003&name=a.txt&key="
                                            + session.dbfilesKey(),
                                    "kept".getBytes())
                            .statusCode())
                    .isEqualTo(200);
            session.send(message("DbFilesList", "l").put("name", "myfiles").put("folder", 7003));
            url = session.next(mt("DbFilesListResult", "l"))
                    .path("files")
                    .get(0)
                    .path("url")
                    .asText();
            assertThat(url).contains("&session=").contains("&expires=").doesNotContain(session.dbfilesKey());
            assertThat(new String(get(url).body())).isEqualTo("kept");
            long expires = Long.parseLong(url.replaceAll(".*&expires=([0-9]+).*", "$1"));
            assertThat(expires - System.currentTimeMillis() / 1000)
                    .as("seconds the url lasts")
                    .isBetween(3500L, 3600L);
            HttpResponse<byte[]> later = get(url.replace("&expires=" + expires, "&expires=" + (expires + 86_400)));
            assertThat(later.statusCode()).as("an expiry moved on by a day").isEqualTo(403);
            HttpResponse<byte[]> noExpiry = get(url.replace("&expires=" + expires, ""));
            assertThat(noExpiry.statusCode()).isEqualTo(403);
        }
        long until = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        HttpResponse<byte[]> after = get(url);
        while (after.statusCode() == 200 && System.nanoTime() < until) {
            Thread.sleep(50);
            after = get(url);
        }
        assertThat(after.statusCode()).as("the url once its session closed").isEqualTo(403);
        assertThat(new String(after.body())).contains("the session that listed this file has ended");
    }

    @Test
    void aWrongOrMissingKeyStoresNothing() throws Exception {
        try (AppSession session = session()) {
            assertThat(post(
                                    "/apps/default/notes/?dbfiles=myfiles&folder=7002&name=a.txt&key="
                                            + "ab".repeat(32),
                                    "x".getBytes())
                            .statusCode())
                    .isEqualTo(403);
            assertThat(post("/apps/default/notes/?dbfiles=myfiles&folder=7002&name=a.txt", "x".getBytes())
                            .statusCode())
                    .isEqualTo(403);
            session.send(message("DbFilesList", "l").put("name", "myfiles").put("folder", 7002));
            assertThat(session.next(mt("DbFilesListResult", "l")).path("files")).isEmpty();
        }
    }

    @Test
    void listingPagesThrough120FilesFiftyAtATime() throws Exception {
        long folder = 8000 + new Random().nextInt(100_000);
        try (AppSession session = session()) {
            for (int i = 0; i < 120; i++) {
                assertThat(post(
                                        "/apps/default/notes/?dbfiles=myfiles&folder=" + folder + "&name=f" + i
                                                + ".txt&key=" + session.dbfilesKey(),
                                        ("file " + i).getBytes())
                                .statusCode())
                        .isEqualTo(200);
            }
            List<Long> ids = new ArrayList<>();
            List<Integer> pageSizes = new ArrayList<>();
            JsonNode more = null;
            do {
                var request = message("DbFilesList", "p").put("name", "myfiles").put("folder", folder);
                if (more != null) {
                    request.set("more", more);
                }
                session.send(request);
                JsonNode page = session.next(mt("DbFilesListResult", "p"));
                pageSizes.add(page.path("files").size());
                page.path("files").forEach(f -> ids.add(f.path("id").asLong()));
                more = page.get("more");
            } while (more != null);
            assertThat(pageSizes).containsExactly(50, 50, 20);
            assertThat(ids).hasSize(120).isSorted().doesNotHaveDuplicates();

            session.send(message("DbFilesList", "small")
                    .put("name", "myfiles")
                    .put("folder", folder)
                    .put("limit", 7));
            JsonNode small = session.next(mt("DbFilesListResult", "small"));
            assertThat(small.path("files")).hasSize(7);
            assertThat(small.has("more")).isTrue();
        }
    }

    @Test
    void anAppsFilesMayComeAsAnHttpfilesZipInAConfigMapAndItsChangesAreFollowed() throws Exception {
        String yaml = """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: zipped-files}
                binaryData: {httpfiles.zip: %s}
                ---
                apiVersion: scriptforge.io/v1alpha1
                kind: App
                metadata: {name: zipped}
                spec:
                  domain: example.com
                  httpfilesConfigMap: {name: zipped-files, key: httpfiles.zip}
                  javascript: {eval: ["svc/*"]}
                """;
        runner.write("zipped.yaml", yaml.formatted(zip("first")));
        try {
            assertThat(awaitBody("/apps/default/zipped/", "first")).isEqualTo("<p>first</p>");
            assertThat(new String(get("/apps/default/zipped/ping").body())).isEqualTo("pong from a zip");
            assertThat(get("/apps/default/zipped/svc/main.js").statusCode())
                    .as("service JS from the zip is not served")
                    .isEqualTo(404);

            runner.write("zipped.yaml", yaml.formatted(zip("second")));
            assertThat(awaitBody("/apps/default/zipped/", "second")).isEqualTo("<p>second</p>");
        } finally {
            runner.delete("zipped.yaml");
        }
    }

    private String awaitBody(String path, String expected) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        String body = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<byte[]> response = get(path);
            body = new String(response.body());
            if (response.statusCode() == 200 && body.contains(expected)) {
                return body;
            }
            Thread.sleep(50);
        }
        return body;
    }

    /** An httpfiles.zip as the innovaphone SDK builds one: the app's page and its service's JS. */
    private static String zip(String page) throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
            zip.putNextEntry(new java.util.zip.ZipEntry("index.htm"));
            zip.write(("<p>" + page + "</p>").getBytes());
            zip.putNextEntry(new java.util.zip.ZipEntry("svc/main.js"));
            zip.write("WebServer.onrequest('ping', () => ({status: 200, body: 'pong from a zip'}));".getBytes());
        }
        return java.util.Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
