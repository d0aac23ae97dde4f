package io.scriptforge.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.StartupEvent;
import io.scriptforge.runner.db.RunnerDatabase;
import io.scriptforge.runner.invoke.Invoker;
import io.scriptforge.runner.jobs.JobRunner;
import io.scriptforge.runner.jobs.JobStore;
import io.scriptforge.runner.jobs.Jobs;
import io.scriptforge.runner.jobs.ScriptJobs;
import io.scriptforge.runner.registry.ScriptRegistry;
import io.scriptforge.runner.tasks.RunnerTasks;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Objects;

/** Wires the background jobs: their store, what runs them (a task of {@link TaskBeans}), and the scripts' {@code jobs} global. */
@ApplicationScoped
public class JobBeans {
    @Produces
    @Singleton
    JobStore store(RunnerDatabase database) {
        return new JobStore(database);
    }

    @Produces
    @Singleton
    JobRunner runner(JobStore store, ScriptRegistry registry, Invoker invoker, ObjectMapper json) {
        return new JobRunner(store, registry, invoker, json, RunnerBeans.runnerName());
    }

    @Produces
    @Singleton
    Jobs jobs(JobStore store, RunnerTasks tasks, ScriptRegistry registry, Invoker invoker, ObjectMapper json) {
        Jobs jobs = new Jobs(store, tasks, invoker);
        invoker.attachJobs(new ScriptJobs(jobs, store, registry, json));
        return jobs;
    }

    /** Makes the jobs at startup, so the scripts have their global before their first invocation. */
    void attach(@Observes StartupEvent event, Jobs jobs) {
        Objects.requireNonNull(jobs); // resolving the bean is the point: its producer attaches the global
    }
}
