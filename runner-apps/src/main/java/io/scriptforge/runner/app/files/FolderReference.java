package io.scriptforge.runner.app.files;

import io.scriptforge.manifest.AppManifest.FileStore;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A store's folder reference: the value a file is filed under, checked against the SQL type the
 * manifest gives it ({@code dbfiles.init[].folder}) and kept as text in one canonical form, so that
 * {@code 007} and {@code 7}, or a UUID in upper and lower case, name the same folder.
 */
final class FolderReference {
    private static final Pattern VARCHAR = Pattern.compile("VARCHAR\\((\\d+)\\)");

    private FolderReference() {}

    /**
     * The canonical text of {@code folder} in {@code store}.
     *
     * @throws IllegalArgumentException saying what the store expects, when {@code folder} is not such a value
     */
    static String canonical(FileStore store, String folder) {
        if (folder == null) {
            throw new IllegalArgumentException(
                    "dbfiles '" + store.name() + "': the folder is missing (" + expected(store) + ")");
        }
        String type = store.folderType().toUpperCase(Locale.ROOT);
        return switch (type) {
            case "BIGINT" -> integer(store, folder, Long.MIN_VALUE, Long.MAX_VALUE);
            case "INTEGER", "INT" -> integer(store, folder, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case "SMALLINT" -> integer(store, folder, Short.MIN_VALUE, Short.MAX_VALUE);
            case "UUID" -> uuid(store, folder);
            case "TEXT" -> text(store, folder, Integer.MAX_VALUE);
            default -> {
                Matcher varchar = VARCHAR.matcher(type);
                if (!varchar.matches()) {
                    throw new IllegalStateException("dbfiles '" + store.name() + "': folder type '" + store.folderType()
                            + "' is not supported (use BIGINT, INTEGER, SMALLINT, TEXT, VARCHAR(n) or UUID)");
                }
                yield text(store, folder, Integer.parseInt(varchar.group(1)));
            }
        };
    }

    private static String integer(FileStore store, String folder, long min, long max) {
        long value;
        try {
            value = Long.parseLong(folder.trim());
        } catch (NumberFormatException e) {
            throw wrong(store, folder);
        }
        if (value < min || value > max) {
            throw wrong(store, folder);
        }
        return Long.toString(value);
    }

    private static String text(FileStore store, String folder, int maxLength) {
        // PostgreSQL text cannot hold NUL.
        if (folder.indexOf('\0') >= 0 || folder.codePointCount(0, folder.length()) > maxLength) {
            throw wrong(store, folder);
        }
        return folder;
    }

    private static String uuid(FileStore store, String folder) {
        String text = folder.trim();
        // UUID.fromString accepts short groups ("1-2-3-4-5"); a folder must be the full 36-character form.
        if (text.length() != 36) {
            throw wrong(store, folder);
        }
        try {
            return UUID.fromString(text).toString();
        } catch (IllegalArgumentException e) {
            throw wrong(store, folder);
        }
    }

    private static IllegalArgumentException wrong(FileStore store, String folder) {
        String shown = folder.length() > 80 ? folder.substring(0, 80) + "…" : folder;
        return new IllegalArgumentException(
                "dbfiles '" + store.name() + "': folder '" + shown + "' is not valid (" + expected(store) + ")");
    }

    private static String expected(FileStore store) {
        String type = store.folderType().toUpperCase(Locale.ROOT);
        return switch (type) {
            case "BIGINT" -> "expected a whole number (BIGINT)";
            case "INTEGER", "INT" ->
                "expected a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE + " (INTEGER)";
            case "SMALLINT" ->
                "expected a whole number from " + Short.MIN_VALUE + " to " + Short.MAX_VALUE + " (SMALLINT)";
            case "UUID" -> "expected a UUID such as 123e4567-e89b-12d3-a456-426614174000";
            case "TEXT" -> "expected text";
            default -> {
                Matcher varchar = VARCHAR.matcher(type);
                yield varchar.matches()
                        ? "expected text of at most " + varchar.group(1) + " characters (" + type + ")"
                        : "type " + type;
            }
        };
    }
}
