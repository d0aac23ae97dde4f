package io.scriptforge.runner.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scriptforge.runner.db.TestDatabase;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The job rows on the embedded PostgreSQL: attempts counted as they start, retries, a dead runner's attempt, cancel, progress, the queue view. */
class JobStoreTest {
    private final JobStore store = new JobStore(TestDatabase.shared());
    private final String uuid = UUID.randomUUID().toString();

    @Test
    void aNewJobWaitsAndADelayedOneShowsWaitingOnceItsTimeHasCome() throws Exception {
        Job now = insert(new JobOptions(1, Duration.ZERO, Duration.ZERO));
        assertThat(now.state()).isEqualTo(JobState.WAITING);
        assertThat(now.attempts()).isZero();
        assertThat(now.dataJson()).isEqualTo("{\"n\": 1}");

        Job later = insert(new JobOptions(1, Duration.ofMillis(300), Duration.ZERO));
        assertThat(later.state()).isEqualTo(JobState.DELAYED);
        assertThat(later.runAfter()).isAfter(later.createdAt());
        Thread.sleep(400);
        assertThat(store.find(later.id()).orElseThrow().state()).isEqualTo(JobState.WAITING);
    }

    @Test
    void eachStartCountsAnAttemptAndAFailureIsRetriedWithBackoffUntilNoneIsLeft() throws Exception {
        Job job = insert(new JobOptions(2, Duration.ZERO, Duration.ofMillis(200)));
        assertThat(begin(job).attempt()).isEqualTo(1);
        assertThat(store.find(job.id()).orElseThrow().state()).isEqualTo(JobState.ACTIVE);

        JobStore.AfterFailure first =
                store.fail(job.id(), 1, "{\"code\":500,\"reason\":\"Internal Server Error\",\"message\":\"first\"}");
        assertThat(first).isEqualTo(new JobStore.AfterFailure.Retry(Duration.ofMillis(200)));
        Job delayed = store.find(job.id()).orElseThrow();
        assertThat(delayed.state()).isEqualTo(JobState.DELAYED);
        assertThat(delayed.errorJson()).contains("first");

        assertThat(begin(job).attempt()).isEqualTo(2);
        assertThat(store.fail(job.id(), 2, "{\"code\":503,\"reason\":\"Service Unavailable\",\"message\":\"second\"}"))
                .isEqualTo(new JobStore.AfterFailure.Failed());
        Job failed = store.find(job.id()).orElseThrow();
        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.attempts()).isEqualTo(2);
        assertThat(failed.errorJson()).contains("second").contains("503");
        assertThat(failed.finishedAt()).isNotNull();
        assertThat(store.begin(job.id(), "r")).isInstanceOf(JobStore.Start.Skip.class);
    }

    @Test
    void anAttemptWhoseRunnerDiedCountsAndTheLastOneFailsTheJob() throws Exception {
        Job job = insert(new JobOptions(2, Duration.ZERO, Duration.ZERO));
        begin(job); // the runner dies here: nothing more is written for attempt 1
        assertThat(begin(job).attempt())
                .as("the revived execution starts attempt 2")
                .isEqualTo(2);
        assertThat(store.begin(job.id(), "r")).isInstanceOf(JobStore.Start.Skip.class);
        Job failed = store.find(job.id()).orElseThrow();
        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.attempts()).isEqualTo(2);
        assertThat(failed.errorJson()).contains("runner stopped during attempt 2");
    }

    @Test
    void aCancelledJobNeitherStartsNorKeepsALateResult() throws Exception {
        Job waiting = insert(JobOptions.DEFAULT);
        assertThat(store.cancel(waiting.id()).orElseThrow().state()).isEqualTo(JobState.WAITING);
        assertThat(store.begin(waiting.id(), "r")).isInstanceOf(JobStore.Start.Skip.class);
        assertThat(store.find(waiting.id()).orElseThrow().attempts()).isZero();

        Job active = insert(JobOptions.DEFAULT);
        begin(active);
        assertThat(store.cancel(active.id()).orElseThrow().state()).isEqualTo(JobState.ACTIVE);
        assertThat(store.complete(active.id(), 1, "\"late\"")).isFalse();
        assertThat(store.fail(active.id(), 1, "{}")).isEqualTo(new JobStore.AfterFailure.Gone());
        Job cancelled = store.find(active.id()).orElseThrow();
        assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
        assertThat(cancelled.resultJson()).isNull();

        assertThatThrownBy(() -> store.cancel(active.id()))
                .isInstanceOf(JobException.class)
                .hasMessageContaining("cancelled already");
        assertThat(store.cancel(UUID.randomUUID())).isEmpty();
    }

    @Test
    void progressIsStoredOnlyForTheRunningAttempt() throws Exception {
        Job job = insert(JobOptions.DEFAULT);
        assertThat(store.progress(job.id(), 1, "10")).as("not started").isFalse();
        begin(job);
        assertThat(store.progress(job.id(), 1, "{\"done\": 40}")).isTrue();
        assertThat(store.find(job.id()).orElseThrow().progressJson()).isEqualTo("{\"done\": 40}");
        assertThat(store.complete(job.id(), 1, "[1, 2]")).isTrue();
        assertThat(store.progress(job.id(), 1, "99")).as("finished").isFalse();
        assertThat(store.find(job.id()).orElseThrow().resultJson()).isEqualTo("[1, 2]");
    }

    @Test
    void theQueueViewIsNewestFirstFilteredAndBounded() throws Exception {
        Job first = insert(JobOptions.DEFAULT);
        Job second = insert(JobOptions.DEFAULT);
        Job third = insert(JobOptions.DEFAULT);
        begin(second);
        assertThat(store.list(List.of(uuid), null, 10))
                .extracting(Job::id)
                .containsExactly(third.id(), second.id(), first.id());
        assertThat(store.list(List.of(uuid), JobState.ACTIVE, 10))
                .extracting(Job::id)
                .containsExactly(second.id());
        assertThat(store.list(List.of(uuid), JobState.WAITING, 1))
                .extracting(Job::id)
                .containsExactly(third.id());
        assertThat(store.list(List.of(UUID.randomUUID().toString()), null, 10)).isEmpty();
    }

    @Test
    void backoffDoublesAfterEachFailureUpToAnHour() {
        assertThat(JobOptions.backoffAfter(1000, 1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(JobOptions.backoffAfter(1000, 3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(JobOptions.backoffAfter(1000, 25)).isEqualTo(JobOptions.MAX_BACKOFF);
        assertThat(JobOptions.backoffAfter(0, 5)).isEqualTo(Duration.ZERO);
        assertThatThrownBy(() -> new JobOptions(26, Duration.ZERO, Duration.ZERO))
                .hasMessageContaining("between 1 and 25");
        assertThatThrownBy(() -> new JobOptions(1, Duration.ofMillis(-1), Duration.ZERO))
                .hasMessageContaining("delay");
    }

    private Job insert(JobOptions options) throws SQLException {
        return store.insert("tests", "job-store", uuid, "{\"n\": 1}", options);
    }

    private JobStore.Start.Run begin(Job job) throws SQLException {
        return (JobStore.Start.Run) store.begin(job.id(), "test-runner");
    }
}
