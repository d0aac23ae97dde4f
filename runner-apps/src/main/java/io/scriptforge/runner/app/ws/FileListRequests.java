package io.scriptforge.runner.app.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scriptforge.manifest.AppManifest.FileStore;
import io.scriptforge.runner.app.AppPlatform;
import io.scriptforge.runner.app.AppRuntime;
import io.scriptforge.runner.app.files.DbFilesStore;
import io.scriptforge.runner.app.files.DownloadGrant;
import io.scriptforge.runner.app.files.FileInfo;
import io.scriptforge.runner.app.files.ListPage;
import java.sql.SQLException;
import java.time.Instant;

/**
 * DbFilesList: a page of a store's folder, sorted by id, at most 50 (or the request's limit); the
 * listed urls carry a token, so they work on any replica and cannot be guessed, and they work while the
 * listing session lives, for an hour at most ({@link DownloadGrant}).
 */
final class FileListRequests {
    private static final int MAX_FILES_PER_MESSAGE = 50;

    private FileListRequests() {}

    static void handle(AppSocket socket, AppRuntime runtime, AppPlatform platform, JsonNode src, ObjectNode message) {
        ObjectMapper json = platform.json();
        String name = message.path("name").asText("");
        FileStore store = runtime.manifest().fileStore(name).orElse(null);
        if (store == null) {
            socket.sendError(
                    "DbFilesList",
                    src,
                    "no dbfiles store '" + name + "' (declared: "
                            + runtime.manifest().fileStores().stream()
                                    .map(FileStore::name)
                                    .toList() + ")");
            return;
        }
        JsonNode folder = message.get("folder");
        if (folder == null || folder.isNull() || folder.isContainerNode()) {
            socket.sendError("DbFilesList", src, "DbFilesList needs a folder");
            return;
        }
        int limit = message.path("limit").asInt(MAX_FILES_PER_MESSAGE);
        if (limit <= 0 || limit > MAX_FILES_PER_MESSAGE) {
            limit = MAX_FILES_PER_MESSAGE;
        }
        long after = message.path("more").asLong(0);
        try {
            ListPage page = platform.files().list(runtime.schema(), store, folder.asText(), after, limit);
            ObjectNode answer = AppMessages.reply(json, "DbFilesListResult", src);
            ArrayNode files = answer.putArray("files");
            Instant now = Instant.now();
            for (FileInfo file : page.files()) {
                DownloadGrant grant = DownloadGrant.listed(store.name(), file.id(), socket.dbfilesKey(), now);
                files.addObject()
                        .put("id", file.id())
                        .put(
                                "url",
                                runtime.basePath() + "?"
                                        + grant.query(DbFilesStore.token(
                                                runtime.manifest().password(), grant)))
                        .put("name", file.name())
                        .put("size", file.size())
                        .put("created", file.created())
                        .put("modified", file.modified());
            }
            if (page.more() != null) {
                answer.put("more", page.more());
            }
            socket.send(answer);
        } catch (IllegalArgumentException e) {
            socket.sendError("DbFilesList", src, e.getMessage());
        } catch (SQLException e) {
            socket.sendError("DbFilesList", src, "the app's database failed: " + e.getMessage());
        }
    }
}
