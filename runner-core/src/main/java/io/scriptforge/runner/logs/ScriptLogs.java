package io.scriptforge.runner.logs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** The recent console lines of every script: a bounded ring buffer per script UUID. */
public final class ScriptLogs {
    /** Longest line kept; longer ones are cut, so a chatty script cannot fill the heap. */
    public static final int MAX_LINE_CHARS = 8192;

    public record Line(Instant timestamp, String level, String message, String invocationId) {}

    private final int capacity;
    private final ConcurrentHashMap<String, Ring> rings = new ConcurrentHashMap<>();

    public ScriptLogs(int capacity) {
        this.capacity = capacity;
    }

    public void append(String uuid, String level, String message, String invocationId) {
        String kept = message.length() > MAX_LINE_CHARS ? message.substring(0, MAX_LINE_CHARS) + "…[cut]" : message;
        rings.computeIfAbsent(uuid, k -> new Ring(capacity)).add(new Line(Instant.now(), level, kept, invocationId));
    }

    /** The newest {@code limit} lines, oldest first. */
    public List<Line> recent(String uuid, int limit) {
        Ring ring = rings.get(uuid);
        return ring == null ? List.of() : ring.newest(limit);
    }

    public void forget(String uuid) {
        rings.remove(uuid);
    }

    private static final class Ring {
        private final Line[] lines;
        private int next;
        private int size;

        Ring(int capacity) {
            lines = new Line[capacity];
        }

        synchronized void add(Line line) {
            lines[next] = line;
            next = (next + 1) % lines.length;
            size = Math.min(size + 1, lines.length);
        }

        synchronized List<Line> newest(int limit) {
            int n = Math.max(0, Math.min(limit, size));
            List<Line> out = new ArrayList<>(n);
            for (int i = n; i > 0; i--) {
                out.add(lines[Math.floorMod(next - i, lines.length)]);
            }
            return out;
        }
    }
}
