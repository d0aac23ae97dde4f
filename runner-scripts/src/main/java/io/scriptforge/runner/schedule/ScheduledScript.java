package io.scriptforge.runner.schedule;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.github.kagkarlsson.scheduler.task.helper.ScheduleAndData;
import com.github.kagkarlsson.scheduler.task.schedule.CronSchedule;
import com.github.kagkarlsson.scheduler.task.schedule.CronStyle;
import io.scriptforge.crd.ScheduleSpec;
import io.scriptforge.runner.registry.ScriptRegistry;
import java.time.ZoneId;

/**
 * A Script's schedule as db-scheduler keeps it in the task table (as JSON): which Script, and the
 * schedule it had when the row was written. A row whose schedule no longer matches the Script's is
 * rewritten, never run.
 */
public record ScheduledScript(
        String namespace, String name, String expression, String timeZone, ScheduleSpec.Missed missed)
        implements ScheduleAndData {

    /** The schedule {@code entry} declares, or null when it declares none. */
    static ScheduledScript of(ScriptRegistry.Entry entry) {
        ScheduleSpec spec = entry.schedule();
        if (spec == null || spec.problem().isPresent()) {
            return null;
        }
        return new ScheduledScript(
                entry.namespace(), entry.name(), spec.expression(), spec.zone().getId(), spec.missedOrDefault());
    }

    /** The task instance id: one row per Script. */
    @JsonIgnore
    String id() {
        return namespace + "/" + name;
    }

    @JsonIgnore
    @Override
    public CronSchedule getSchedule() {
        return new CronSchedule(expression, ZoneId.of(timeZone), CronStyle.UNIX);
    }

    @JsonIgnore
    @Override
    public Object getData() {
        return null;
    }

    /** For people: the expression and its zone. */
    @JsonIgnore
    String describe() {
        return expression + " " + timeZone;
    }
}
