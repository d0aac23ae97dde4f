package io.scriptforge.runner.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scriptforge.runner.control.ControlPermission;
import io.scriptforge.runner.schedule.ScriptSchedules;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;

/** {@code GET /v1/schedules}: every scheduled Script with its last tick (by whichever replica) and its next. */
@ApplicationScoped
public class ScheduleRoutes {
    @Inject
    ScriptSchedules schedules;

    @Inject
    ObjectMapper json;

    @Inject
    ControlAccess access;

    @Inject
    BlockingWork blockingWork;

    void routes(@Observes Router router) {
        router.route(HttpMethod.GET, "/v1/schedules").handler(this::list);
    }

    private void list(RoutingContext ctx) {
        // The view reads the database: off the event loop.
        blockingWork.start(ctx, "scriptforge-schedules-http", () -> {
            List<Map<String, Object>> rows;
            try {
                rows = schedules.view();
            } catch (Exception e) {
                ErrorBody.send(ctx.response(), 503, "the schedules' database cannot be read: " + e.getMessage());
                return;
            }
            access.withAllowed(
                    ctx,
                    rows.stream().map(row -> (String) row.get("namespace")).toList(),
                    ControlPermission.LIST_SCHEDULES,
                    allowed -> {
                        try {
                            String body = json.writeValueAsString(rows.stream()
                                    .filter(row -> allowed.contains((String) row.get("namespace")))
                                    .toList());
                            ctx.response()
                                    .putHeader("Content-Type", "application/json")
                                    .end(body);
                        } catch (JsonProcessingException e) {
                            ErrorBody.send(ctx.response(), 500, e.getOriginalMessage());
                        }
                    });
        });
    }
}
