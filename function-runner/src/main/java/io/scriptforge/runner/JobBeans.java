package io.scriptforge.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.scriptforge.runner.db.RunnerDatabase;
import io.scriptforge.runner.invoke.Invoker;
import io.scriptforge.runner.invoke.JobsGlobal;
import io.scriptforge.runner.jobs.JobRunner;
import io.scriptforge.runner.jobs.JobStore;
import io.scriptforge.runner.jobs.Jobs;
import io.scriptforge.runner.jobs.ScriptJobs;
import io.scriptforge.runner.registry.ScriptRegistry;
import io.scriptforge.runner.tasks.RunnerTasks;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

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
    Jobs jobs(JobStore store, RunnerTasks tasks, Invoker invoker) {
        return new Jobs(store, tasks, invoker);
    }

    /**
     * The scripts' {@code jobs} global. Jobs need the invoker to run them, and the invoker carries the scripts'
     * calls of this global: the cycle is closed by CDI's client proxy (this bean is application scoped), made on
     * the first call, not by a setter.
     */
    @Produces
    @ApplicationScoped
    JobsGlobal scriptJobs(Jobs jobs, JobStore store, ScriptRegistry registry, ObjectMapper json) {
        return new ScriptJobs(jobs, store, registry, json);
    }
}
