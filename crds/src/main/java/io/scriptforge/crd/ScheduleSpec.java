package io.scriptforge.crd;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.github.kagkarlsson.scheduler.task.schedule.CronSchedule;
import com.github.kagkarlsson.scheduler.task.schedule.CronStyle;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * spec.schedule of a Script: when the platform runs it by itself, once per tick for the whole cluster.
 * Either a 5-field cron expression, or the seed's form (lists of minutes, hours, days of month and days
 * of week; an absent list means every one).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonDeserialize(using = JsonDeserializer.None.class)
@ValidationRule(
        value =
                "has(self.cron) != (has(self.minutes) || has(self.hours) || has(self.daysOfMonth) || has(self.daysOfWeek))",
        message =
                "spec.schedule: give either cron, or the seed's form (minutes, hours, daysOfMonth, daysOfWeek), not both and not neither")
public class ScheduleSpec implements KubernetesResource {
    /** A missed tick: one that was due while no runner of the pool was up. */
    public enum Missed {
        /** On recovery, run once for all the ticks missed, then go on from the next tick. */
        runOnce,
        /** Drop the missed ticks; go on from the next tick. */
        skip
    }

    private String cron;
    private List<Integer> minutes;
    private List<Integer> hours;
    private List<Integer> daysOfMonth;
    private List<Integer> daysOfWeek;
    private String timeZone;
    private Missed missed;

    /** Five fields: minute hour day-of-month month day-of-week, e.g. {@code 0 3 * * 1-5}. */
    public String getCron() {
        return cron;
    }

    public void setCron(String cron) {
        this.cron = cron;
    }
    /** The seed's form: minutes 0-59. */
    public List<Integer> getMinutes() {
        return minutes;
    }

    public void setMinutes(List<Integer> minutes) {
        this.minutes = minutes;
    }
    /** Hours 0-23. */
    public List<Integer> getHours() {
        return hours;
    }

    public void setHours(List<Integer> hours) {
        this.hours = hours;
    }
    /** Days of the month 1-31. */
    public List<Integer> getDaysOfMonth() {
        return daysOfMonth;
    }

    public void setDaysOfMonth(List<Integer> daysOfMonth) {
        this.daysOfMonth = daysOfMonth;
    }
    /** Days of the week 0-6, Sunday = 0 (cron's numbering). */
    public List<Integer> getDaysOfWeek() {
        return daysOfWeek;
    }

    public void setDaysOfWeek(List<Integer> daysOfWeek) {
        this.daysOfWeek = daysOfWeek;
    }
    /** An IANA time zone such as Europe/London; absent means UTC. */
    public String getTimeZone() {
        return timeZone;
    }

    public void setTimeZone(String timeZone) {
        this.timeZone = timeZone;
    }
    /** runOnce (absent) or skip. */
    public Missed getMissed() {
        return missed;
    }

    public void setMissed(Missed missed) {
        this.missed = missed;
    }

    /** The 5-field cron expression this schedule means. */
    @JsonIgnore
    public String expression() {
        if (cron != null) {
            return cron.trim().replaceAll("\\s+", " ");
        }
        return field(minutes) + " " + field(hours) + " " + field(daysOfMonth) + " * " + field(daysOfWeek);
    }

    @JsonIgnore
    public ZoneId zone() {
        return timeZone == null || timeZone.isBlank() ? ZoneId.of("UTC") : ZoneId.of(timeZone);
    }

    @JsonIgnore
    public Missed missedOrDefault() {
        return missed == null ? Missed.runOnce : missed;
    }

    /** The schedule db-scheduler runs; call {@link #problem()} first. */
    @JsonIgnore
    public CronSchedule cronSchedule() {
        return new CronSchedule(expression(), zone(), CronStyle.UNIX);
    }

    /** What is wrong with this schedule, located under spec.schedule, or empty when it can run. */
    public Optional<String> problem() {
        boolean seedForm = minutes != null || hours != null || daysOfMonth != null || daysOfWeek != null;
        if ((cron != null) == seedForm) {
            return Optional.of(
                    "spec.schedule: give either cron (e.g. \"*/5 * * * *\"), or the seed's form (minutes, hours, daysOfMonth,"
                            + " daysOfWeek), not both and not neither");
        }
        List<String> problems = new ArrayList<>();
        range(problems, "minutes", minutes, 0, 59);
        range(problems, "hours", hours, 0, 23);
        range(problems, "daysOfMonth", daysOfMonth, 1, 31);
        range(problems, "daysOfWeek", daysOfWeek, 0, 6);
        if (cron != null && expression().split(" ").length != 5) {
            problems.add(
                    "spec.schedule.cron: '" + cron + "' has " + expression().split(" ").length
                            + " fields; give 5: minute hour day-of-month month day-of-week (e.g. \"0 3 * * 1-5\")");
        }
        if (timeZone != null) {
            try {
                ZoneId.of(timeZone);
            } catch (DateTimeException e) {
                problems.add("spec.schedule.timeZone: '" + timeZone
                        + "' is not a time zone; use an IANA name such as Europe/London or UTC");
            }
        }
        if (problems.isEmpty()) {
            try {
                cronSchedule();
            } catch (RuntimeException e) {
                problems.add("spec.schedule" + (cron != null ? ".cron" : "") + ": '" + expression()
                        + "' is not a valid cron expression: " + e.getMessage());
            }
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }

    private static void range(List<String> problems, String name, List<Integer> values, int min, int max) {
        if (values == null) {
            return;
        }
        if (values.isEmpty()) {
            problems.add("spec.schedule." + name + ": an empty list never matches; leave it out to mean every one");
        }
        for (int i = 0; i < values.size(); i++) {
            Integer v = values.get(i);
            if (v == null || v < min || v > max) {
                problems.add("spec.schedule." + name + "[" + i + "]: " + v + " is outside " + min + "-" + max);
            }
        }
    }

    private static String field(List<Integer> values) {
        return values == null
                ? "*"
                : new TreeSet<>(values).stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
