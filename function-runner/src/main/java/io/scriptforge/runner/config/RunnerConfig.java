package io.scriptforge.runner.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Settings of a runner ({@code scriptforge.*} in application.properties, -D flags or env). */
@ConfigMapping(prefix = "scriptforge")
public interface RunnerConfig {
    /** Local mode: the directory of Script YAML to serve and watch. Empty: no directory. Exclusive with cluster mode. */
    Optional<String> dir();

    /** Cluster mode: the Script resources of one RunnerPool, watched through the Kubernetes API. */
    Kubernetes kubernetes();

    /** Who may use the control API (everything but invocation by UUID). */
    Control control();

    /** Largest request body accepted; larger ones answer 413. */
    @WithDefault("1048576")
    int maxBodyBytes();

    /**
     * At most this many HTTP requests do blocking work at once (the database reads and writes of the jobs,
     * schedules and dbfiles routes); more are answered 503 at once, rather than piling up behind the database.
     */
    @WithDefault("64")
    int blockingRequests();

    /**
     * How long an HTTP/1.1 connection keeps being reused: the first answer after this closes it
     * ({@code Connection: close}), so that keep-alive clients reconnect, and a Service spreads them over the
     * runners added since they connected (kube-proxy balances connections, not requests). 0: never.
     */
    @WithDefault("10s")
    Duration maxConnectionAge();

    /** Timeout of a Script that declares none. */
    @WithDefault("30s")
    Duration defaultTimeout();

    /** Longest timeout a Script may declare. */
    @WithDefault("15m")
    Duration maxTimeout();

    /** Console lines kept per script for GET /v1/scripts/{uuid}/logs. */
    @WithDefault("1000")
    int logLines();

    /** JavaScript threads; default: twice the number of cores, so a share of half of them fills every core. */
    OptionalInt jsThreads();

    /**
     * Most JavaScript threads one Script's invocations hold at once; default half the threads (at least one), so
     * runaways of one Script never hold them all. Further invocations wait for a thread of its share.
     */
    OptionalInt jsThreadsPerScript();

    /** The same for all the Scripts of one namespace (one tenant); default half the threads (at least one). */
    OptionalInt jsThreadsPerNamespace();

    /** Tasks waiting for a JavaScript thread before invocations are refused with 503. */
    @WithDefault("1024")
    int jsQueueCapacity();

    /** Most sandbox contexts one script may hold at once (script and app types). */
    @WithDefault("64")
    int contextsPerScript();

    /** Invocations that may wait for a busy script's context before 503. */
    @WithDefault("256")
    int waitingPerScript();

    /** Bytes one invocation may allocate (garbage included) before it is stopped (script and app types). */
    @WithDefault("536870912")
    long memoryBudgetBytes();

    /** The same for worker scripts: stricter, as their state stays in the runner. */
    @WithDefault("268435456")
    long workerMemoryBudgetBytes();

    /** The warm-up between the first load of Scripts and readiness ({@code scriptforge.warmup.*}). */
    Warmup warmup();

    /**
     * {@code scriptforge.warmup.*}: before reporting ready, the runner sends itself load over loopback (a
     * built-in Script, and dry runs of the pool's type-script Scripts) until throughput settles, so the
     * compilers are warm when traffic arrives.
     */
    interface Warmup {
        /** Warm up before readiness; false: ready as soon as the Scripts are loaded. */
        @WithDefault("true")
        boolean enabled();

        /**
         * The longest the warm-up may hold readiness back; it ends sooner once it has settled (on a quiet 2-core
         * machine after about a minute, on one shared with busy neighbours after about a minute and a half).
         */
        @WithDefault("120s")
        Duration maxDuration();
    }

    /** Where Apps keep their data ({@code scriptforge.database.*}, SCRIPTFORGE_DATABASE_* env). */
    Database database();

    /** Where the Scripts' npm modules may send HTTP requests ({@code scriptforge.egress.*}; the operator sets it from the RunnerPool). */
    Egress egress();

    /** Limits of the Apps ({@code scriptforge.apps.*}). */
    Apps apps();

    interface Apps {
        /** Largest dbfiles upload; larger ones answer 413 and store nothing. */
        @WithDefault("104857600")
        long maxFileBytes();

        /**
         * Largest AppWebsocket message, its fragments together; a larger one closes the session with 1009 as soon as
         * it is passed. Past Vert.x's own limit (262,144 bytes), which this cannot raise, the session closes the same way.
         */
        @WithDefault("262144")
        int maxMessageBytes();

        /** Longest one call into an app's service JS may run before it is interrupted. */
        @WithDefault("10s")
        Duration serviceCallTimeout();

        /** Longest one prepared statement may run (PostgreSQL statement_timeout). */
        @WithDefault("30s")
        Duration statementTimeout();
    }

    /**
     * {@code scriptforge.egress.*}: the pool's egress policy. Private, loopback, link-local and metadata
     * addresses are refused unless allowCidrs names them; public ones are allowed unless allowHosts restricts the names.
     */
    interface Egress {
        /** Host names requests may go to: exact names, or {@code *.example.com} for subdomains. Empty: any name. */
        Optional<List<String>> allowHosts();

        /** Extra address ranges allowed, even private ones ({@code 10.0.0.0/8}, {@code 127.0.0.1/32}, {@code fd00::/8}). */
        Optional<List<String>> allowCidrs();

        /** Largest request body one HTTP request may send. */
        @WithDefault("10485760")
        long maxRequestBytes();

        /** Largest (decompressed) response body one HTTP request may read. */
        @WithDefault("10485760")
        long maxResponseBytes();

        /** Longest one HTTP request may take; the invocation's deadline bounds it too. */
        @WithDefault("30s")
        Duration timeout();
    }

    /** How a runner leaves when its pod is replaced ({@code scriptforge.shutdown.*}, on SIGTERM). */
    Shutdown shutdown();

    /**
     * {@code scriptforge.shutdown.*}: on SIGTERM a runner is not ready at once, but serves on for the drain delay,
     * closing each connection after its answer so clients reconnect, through the Service, to other pods; then it
     * refuses new requests and gives what is in flight the timeout to finish (RunnerShutdown).
     */
    interface Shutdown {
        /**
         * How long a stopping runner keeps serving (kube-proxy takes about a second to stop sending it new
         * connections). Default: 5s in cluster mode, 0 locally, so {@code make run} and the tests stop at once
         * ({@link ModeDefaults}: a default that depends on the mode cannot be a {@code @WithDefault}).
         */
        Duration drainDelay();

        /** After the drain, the longest the invocations, ticks and jobs in flight may take to finish; those still running then are stopped (jobs are retried by another replica). */
        @WithDefault("30s")
        Duration timeout();
    }

    /** Schedules and background jobs ({@code scriptforge.tasks.*}): db-scheduler on the runners' PostgreSQL. */
    Tasks tasks();

    interface Tasks {
        /** How often a replica looks for due ticks and jobs; a job posted to a replica starts there at once. */
        @WithDefault("1s")
        Duration pollingInterval();

        /** How often a replica running a tick or job proves it is alive. */
        @WithDefault("5s")
        Duration heartbeatInterval();

        /** Heartbeats missed (at least 4: db-scheduler's floor) before another replica takes a tick or job over (a killed runner's job is retried then). */
        @WithDefault("6")
        int missedHeartbeats();

        /** Ticks and jobs one replica runs at once. */
        @WithDefault("4")
        int threads();

        /** Tests only: the scheduler's time runs this many times faster than the wall clock. */
        @WithDefault("1")
        double clockSpeed();

        /** Tests only: the epoch millisecond from which an accelerated clock runs faster (the same for every replica). */
        OptionalLong clockOrigin();
    }

    /** {@code scriptforge.database.*}: PostgreSQL for the Apps. */
    /**
     * {@code scriptforge.database.*}: the settings {@link io.scriptforge.runner.db.DatabaseSettings} describes (url,
     * username, password, embeddedDir come from there unchanged); here only the defaults are added.
     */
    interface Database extends io.scriptforge.runner.db.DatabaseSettings {
        @Override
        @WithDefault("true")
        boolean embedded();

        @Override
        @WithDefault("120s")
        java.time.Duration embeddedStartupWait();

        @Override
        @WithDefault("16")
        int maxConnections();

        @Override
        @WithDefault("8")
        int appMaxConnections();
    }

    /** {@code scriptforge.control.*}: the credentials of the control API (listings, logs, cancels, jobs, schedules, Apps). */
    interface Control {
        /** Bearer tokens are checked by: {@code kubernetes} (the API server, RBAC on scriptforge.io; the cluster
         * default), {@code token} (the one local token; the local default) or {@code none} (anyone may do anything). */
        Auth auth();

        /** Local mode's token; default: the one in {@link #tokenFile()}, made at the first start. */
        Optional<String> token();

        /** Where local mode keeps its token (owner-only); default {@code ~/.scriptforge/control-token}. */
        Optional<String> tokenFile();

        /** How long a Kubernetes review's answer is kept (a revoked token or binding works that long). */
        @WithDefault("10s")
        Duration reviewCache();

        /** How many tokens not seen lately may be reviewed per second; beyond that, callers with a new token get 503. */
        @WithDefault("20")
        int newTokensPerSecond();

        enum Auth {
            KUBERNETES,
            TOKEN,
            NONE
        }
    }

    /** {@code scriptforge.kubernetes.*}: set by the operator on runner pods (SCRIPTFORGE_KUBERNETES_* env). */
    interface Kubernetes {
        /** Serve the Scripts of a namespace from the Kubernetes API (in-cluster config, or KUBECONFIG). */
        @WithDefault("false")
        boolean enabled();

        /** The RunnerPool served: Scripts whose spec.pool names it (no spec.pool means "default"). */
        @WithDefault("default")
        String pool();

        /** The namespace watched; default: the pod's own (service account), else the kubeconfig's current one. */
        Optional<String> namespace();
    }
}
