package io.scriptforge.runner.jobs;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** Where a job is in its life; the wire names are the seed's queue states. */
public enum JobState {
    WAITING,
    ACTIVE,
    COMPLETED,
    FAILED,
    CANCELLED,
    DELAYED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True once nothing will run it again. */
    public boolean finished() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    public static Optional<JobState> parse(String text) {
        return Arrays.stream(values()).filter(s -> s.wireName().equals(text)).findFirst();
    }

    /** The names a caller may give, for error messages. */
    public static String names() {
        return Arrays.stream(values()).map(JobState::wireName).collect(Collectors.joining(", "));
    }
}
