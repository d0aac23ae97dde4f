package io.scriptforge.manifest;

/**
 * A statement's query turned into JDBC SQL: each placeholder {@code %s %u %i %llu %lli %b} outside
 * quotes and comments becomes {@code ?}, {@code %%} becomes {@code %}, and a {@code ?} of the query
 * itself (e.g. the jsonb operator) is doubled so the driver does not take it for a parameter.
 * Quoted text ({@code '...'}, {@code E'...'}, {@code "..."}, {@code $tag$...$tag$}) and comments
 * are copied as they are. The manifest parser counts placeholders with it and the runner binds
 * with it, so a statement the operator accepts binds the same args on the runner.
 *
 * @param placeholders how many {@code ?} parameters {@code sql} has
 */
public record SqlTemplate(String sql, int placeholders) {
    private static final String[] PLACEHOLDERS = {"%llu", "%lli", "%s", "%u", "%i", "%b"};

    public static SqlTemplate parse(String query) {
        StringBuilder sql = new StringBuilder(query.length() + 8);
        int placeholders = 0;
        int i = 0;
        while (i < query.length()) {
            char ch = query.charAt(i);
            int end = switch (ch) {
                case '\'' -> endOfLiteral(query, i, backslashEscapes(query, i));
                case '"' -> endOfLiteral(query, i, false);
                case '-' -> query.startsWith("--", i) ? endOfLine(query, i) : -1;
                case '/' -> query.startsWith("/*", i) ? endOfBlockComment(query, i) : -1;
                case '$' -> endOfDollarQuote(query, i);
                default -> -1;
            };
            if (end > i) {
                sql.append(query, i, end);
                i = end;
            } else if (ch == '%' && query.startsWith("%%", i)) {
                sql.append('%');
                i += 2;
            } else if (ch == '%' && placeholderAt(query, i) instanceof String placeholder) {
                sql.append('?');
                placeholders++;
                i += placeholder.length();
            } else if (ch == '?') {
                sql.append("??");
                i++;
            } else {
                sql.append(ch);
                i++;
            }
        }
        return new SqlTemplate(sql.toString(), placeholders);
    }

    private static String placeholderAt(String query, int at) {
        for (String placeholder : PLACEHOLDERS) {
            if (query.startsWith(placeholder, at)) {
                return placeholder;
            }
        }
        return null;
    }

    /** {@code E'...'} literals escape with backslashes; the E must start a word, not end one (as in {@code name'}). */
    private static boolean backslashEscapes(String query, int quote) {
        return quote > 0
                && (query.charAt(quote - 1) == 'E' || query.charAt(quote - 1) == 'e')
                && (quote == 1 || !isWordChar(query.charAt(quote - 2)));
    }

    /** Index after the closing quote; a doubled quote is an escaped one. Unterminated: the end. */
    private static int endOfLiteral(String query, int open, boolean backslashEscapes) {
        char quote = query.charAt(open);
        int i = open + 1;
        while (i < query.length()) {
            char ch = query.charAt(i);
            if (backslashEscapes && ch == '\\') {
                i += 2;
            } else if (ch == quote) {
                if (i + 1 < query.length() && query.charAt(i + 1) == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return query.length();
    }

    private static int endOfLine(String query, int start) {
        int newline = query.indexOf('\n', start);
        return newline < 0 ? query.length() : newline + 1;
    }

    private static int endOfBlockComment(String query, int start) {
        int close = query.indexOf("*/", start + 2);
        return close < 0 ? query.length() : close + 2;
    }

    /** {@code $$...$$} or {@code $tag$...$tag$}; -1 when the {@code $} starts no dollar quote (e.g. {@code $1}). */
    private static int endOfDollarQuote(String query, int start) {
        if (start > 0 && isWordChar(query.charAt(start - 1))) {
            return -1;
        }
        int tagEnd = start + 1;
        while (tagEnd < query.length()
                && isWordChar(query.charAt(tagEnd))
                && !(tagEnd == start + 1 && Character.isDigit(query.charAt(tagEnd)))) {
            tagEnd++;
        }
        if (tagEnd >= query.length() || query.charAt(tagEnd) != '$') {
            return -1;
        }
        String tag = query.substring(start, tagEnd + 1);
        int close = query.indexOf(tag, tagEnd + 1);
        return close < 0 ? query.length() : close + tag.length();
    }

    private static boolean isWordChar(char ch) {
        return Character.isLetterOrDigit(ch) || ch == '_';
    }
}
