package io.scriptforge.crd;

import java.time.Duration;
import java.util.regex.Matcher;

/** Kubernetes-style duration strings of the Script spec: {@code 500ms}, {@code 2s}, {@code 1m}, {@code 1m30s}. */
public final class DurationString {
    public static final String PATTERN = "^([0-9]+(ms|s|m|h))+$";
    /** The same without {@code ms}: for settings Kubernetes counts in whole seconds (an autoscaler's windows). */
    public static final String SECONDS_PATTERN = "^([0-9]+(s|m|h))+$";

    private static final java.util.regex.Pattern PART = java.util.regex.Pattern.compile("([0-9]+)(ms|s|m|h)");
    private static final java.util.regex.Pattern WHOLE = java.util.regex.Pattern.compile(PATTERN);

    private DurationString() {}

    /** @throws IllegalArgumentException naming the value and the accepted form */
    public static Duration parse(String text) {
        if (text == null || !WHOLE.matcher(text).matches()) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a duration: use a number with a unit ms, s, m or h, e.g. 500ms, 2s, 1m");
        }
        try {
            Duration total = Duration.ZERO;
            Matcher m = PART.matcher(text);
            while (m.find()) {
                long n = Long.parseLong(m.group(1));
                total = total.plus(
                        switch (m.group(2)) {
                            case "ms" -> Duration.ofMillis(n);
                            case "s" -> Duration.ofSeconds(n);
                            case "m" -> Duration.ofMinutes(n);
                            default -> Duration.ofHours(n);
                        });
            }
            return total;
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too long a duration");
        }
    }
}
