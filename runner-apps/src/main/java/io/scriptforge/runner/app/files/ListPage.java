package io.scriptforge.runner.app.files;

import java.util.List;

/**
 * One page of a folder's files, sorted by id.
 *
 * @param more the last id of this page, to pass as {@code afterId} for the next one; null when no
 *             files remain (the DbFilesListResult then carries no {@code more})
 */
public record ListPage(List<FileInfo> files, Long more) {
    public ListPage {
        files = List.copyOf(files);
    }
}
