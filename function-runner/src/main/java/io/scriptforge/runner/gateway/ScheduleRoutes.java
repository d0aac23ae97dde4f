package io.scriptforge.runner.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.scriptforge.runner.schedule.ScriptSchedules;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/** {@code GET /v1/schedules}: every scheduled Script with its last tick (by whichever replica) and its next. */
@ApplicationScoped
public class ScheduleRoutes {
    @Inject
    ScriptSchedules schedules;
    @Inject
    ObjectMapper json;

    void routes(@Observes Router router) {
        router.route(HttpMethod.GET, "/v1/schedules").handler(this::list);
    }

    private void list(RoutingContext ctx) {
        // The view reads the database: off the event loop.
        Thread.ofVirtual().start(() -> {
            try {
                String body = json.writeValueAsString(schedules.view());
                ctx.response().putHeader("Content-Type", "application/json").end(body);
            } catch (Exception e) {
                ErrorBody.send(ctx.response(), 503, "Service Unavailable", "the schedules' database cannot be read: " + e.getMessage());
            }
        });
    }
}
