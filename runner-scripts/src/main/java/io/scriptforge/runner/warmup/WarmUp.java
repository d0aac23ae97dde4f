package io.scriptforge.runner.warmup;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.scriptforge.runner.registry.ScriptRegistry;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The warm-up phase between the first load and readiness: load on the runner's own port until throughput
 * has stopped climbing and the compilers have gone quiet, or the cap is reached, then one line in the log and
 * readiness. On a stock JDK the Graal compiler, and HotSpot's for the Truffle interpreter, Vert.x and Jackson,
 * start cold: without this, a new replica serves its first seconds at a tenth of its warm speed.
 *
 * <p>While a compiler is busy most of a window, the load narrows to one lane: a lane's invocations already
 * give the compilers their work, and more would only take the CPU they need (on 2 cores that made the
 * warm-up a quarter shorter). Once they are quiet, every lane runs again, so the context pools fill and the
 * settled rate is the runner's full one.
 */
public final class WarmUp {
    private static final Logger LOG = Logger.getLogger(WarmUp.class);
    /** Throughput and the compilers are judged window by window; the compilers' threads are sampled every tick. */
    static final Duration WINDOW = Duration.ofSeconds(1);

    static final Duration TICK = Duration.ofMillis(50);
    static final double TOLERANCE = 0.12;
    static final int SETTLED_WINDOWS = 3;
    static final long MIN_INVOCATIONS = 2_000;
    /** The most each compiler may be busy in a settled window. */
    static final double COMPILERS_QUIET = 0.10;
    /** A window in which a compiler was busy more than this is followed by one lane only. */
    static final double COMPILING = 0.5;
    /** How long the end waits for the warm-up invocations in flight. */
    static final Duration IN_FLIGHT_GRACE = Duration.ofSeconds(1);

    /**
     * @param maxDuration the cap: readiness never waits longer than this for the warm-up
     * @param lanes       requests in flight at once: a small multiple of the JavaScript threads
     */
    public record Settings(Duration maxDuration, int lanes) {}

    private final Settings settings;
    private final WarmUpGate gate;
    private final Supplier<Collection<ScriptRegistry.Entry>> scripts;
    private final ObjectMapper json;
    private final Vertx vertx;
    private final WarmUpProgress progress;
    private volatile boolean stopping;

    /** @param scripts the pool's Scripts once the first load is in */
    public WarmUp(
            Settings settings,
            WarmUpGate gate,
            Supplier<Collection<ScriptRegistry.Entry>> scripts,
            ObjectMapper json,
            Vertx vertx,
            WarmUpProgress progress) {
        this.settings = settings;
        this.gate = gate;
        this.scripts = scripts;
        this.json = json;
        this.vertx = vertx;
        this.progress = progress;
    }

    /** The warm-up is off: ready as soon as the Scripts are loaded. */
    public void disabled() {
        progress.off();
        LOG.info("warm-up: off (scriptforge.warmup.enabled=false): ready as soon as the Scripts are loaded");
    }

    /** Runs the warm-up against the runner's HTTP server at {@code host:port}; blocks until it ended. */
    public void run(String host, int port) {
        long started = System.nanoTime();
        WarmUpPlan plan = new WarmUpPlan(gate.builtIn(), WarmUpScript.bodies(json), scripts.get());
        WarmUpLoad load = new WarmUpLoad(vertx, host, port, gate.open(), plan, settings.lanes());
        CompilerActivity compilers = new CompilerActivity();
        Window last = new Window(0, new CompilerActivity.Window(0, 0));
        boolean settled = false;
        try {
            load.start();
            WarmUpSettled settling = new WarmUpSettled(TOLERANCE, SETTLED_WINDOWS, MIN_INVOCATIONS, COMPILERS_QUIET);
            long until = started + settings.maxDuration().toNanos();
            long windowStart = System.nanoTime();
            long counted = 0;
            while (!settled && !stopping && System.nanoTime() < until) {
                Thread.sleep(TICK.toMillis());
                compilers.tick();
                long now = System.nanoTime();
                if (now - windowStart < WINDOW.toNanos() && now < until) {
                    continue;
                }
                long answered = load.answered();
                CompilerActivity.Window busy = compilers.window();
                settled = settling.add(answered - counted, Duration.ofNanos(now - windowStart), busy);
                last = new Window(settling.lastRate(), busy);
                counted = answered;
                windowStart = now;
                progress.running(report(load, plan, started, last, settled));
                LOG.debugf(
                        "warm-up: %,d invocations, %.0f/s in the last window (%d lanes), compilers busy %s (Truffle) and %s (HotSpot)",
                        (Long) answered,
                        (Double) last.rate(),
                        (Integer) load.activeLanes(),
                        WarmUpReport.percent(busy.truffle()),
                        WarmUpReport.percent(busy.hotspot()));
                load.activeLanes(busy.quiet(COMPILING) ? settings.lanes() : 1);
            }
            load.stop(IN_FLIGHT_GRACE); // one still running then is abandoned when the load's client closes
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warnf(e, "warm-up: stopped by a runner failure; the runner becomes ready without it");
        } finally {
            gate.close();
            load.close();
        }
        WarmUpReport report = report(load, plan, started, last, settled);
        if (report.invocations() == 0 && report.failed() > 0) {
            LOG.warnf(
                    "warm-up: none of its %,d requests was answered: is the runner's own port reachable on %s:%d?",
                    report.failed(), host, port);
        }
        progress.done(report);
        LOG.info(report.summary());
    }

    /** The last window measured: its invocations per second, and how busy the compilers were. */
    private record Window(double rate, CompilerActivity.Window compilers) {}

    /** The runner is shutting down: the warm-up ends at its next window. */
    public void stop() {
        stopping = true;
    }

    private static WarmUpReport report(WarmUpLoad load, WarmUpPlan plan, long started, Window last, boolean settled) {
        return new WarmUpReport(
                load.answered(),
                load.failed(),
                Duration.ofNanos(System.nanoTime() - started),
                last.rate(),
                last.compilers(),
                settled,
                plan.warming(),
                plan.skipped());
    }

    /** The host to reach a server bound to {@code bound} from this process: loopback for a wildcard address. */
    public static String loopbackFor(String bound) {
        return bound == null || List.of("0.0.0.0", "::", "[::]", "localhost").contains(bound) ? "127.0.0.1" : bound;
    }
}
