package io.scriptforge.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.kubernetes.api.model.KubernetesResource;

/**
 * status.schedule of a Script: its last tick and the next, written by the runner replica that ran the
 * tick (the operator never writes it). Times are RFC 3339.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonDeserialize(using = JsonDeserializer.None.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ScheduleStatus implements KubernetesResource {
    private String expression;
    private String lastRun;
    private String lastOutcome;
    private String lastMessage;
    private String nextRun;

    public ScheduleStatus() {}

    public ScheduleStatus(String expression, String lastRun, String lastOutcome, String lastMessage, String nextRun) {
        this.expression = expression;
        this.lastRun = lastRun;
        this.lastOutcome = lastOutcome;
        this.lastMessage = lastMessage;
        this.nextRun = nextRun;
    }

    /** The cron expression in force, with its time zone ("0 3 * * * Europe/London"). */
    public String getExpression() {
        return expression;
    }

    public void setExpression(String expression) {
        this.expression = expression;
    }
    /** When the last tick was due. */
    public String getLastRun() {
        return lastRun;
    }

    public void setLastRun(String lastRun) {
        this.lastRun = lastRun;
    }
    /** completed, failed, or skipped (a missed tick under missed: skip). */
    public String getLastOutcome() {
        return lastOutcome;
    }

    public void setLastOutcome(String lastOutcome) {
        this.lastOutcome = lastOutcome;
    }
    /** The failure's status and message, or why the tick was skipped. */
    public String getLastMessage() {
        return lastMessage;
    }

    public void setLastMessage(String lastMessage) {
        this.lastMessage = lastMessage;
    }
    /** When the next tick is due. */
    public String getNextRun() {
        return nextRun;
    }

    public void setNextRun(String nextRun) {
        this.nextRun = nextRun;
    }
}
