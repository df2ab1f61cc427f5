package dev.caravan.schedule;

import dev.caravan.pipeline.BackgroundRuns;
import dev.caravan.registry.ScheduleEvents;
import dev.caravan.spec.PipelineCatalog;
import dev.caravan.spec.PipelineSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.simpl.RAMJobStore;
import org.quartz.simpl.SimpleThreadPool;

/**
 * Fires the pipelines' cron schedules (Quartz, in memory; the server's time zone). Two servers on one database both
 * fire: the run of a firing claims it (the pipeline and the cron's time) as it is recorded, so the other server
 * records SKIPPED_CLAIMED however far apart their clocks are, or SKIPPED_BUSY while a run holds the pipeline's
 * lock. A missed firing is skipped and recorded as SKIPPED_MISFIRE.
 */
public final class PipelineScheduler implements AutoCloseable {
    /** A firing only takes a lock and records a run, so a few threads keep up with any number of pipelines. */
    private static final int MAX_THREADS = 4;

    private final Scheduler scheduler;
    private final List<PipelineCatalog.Entry> scheduled;

    /**
     * Prepares the schedules of {@code scheduled}; {@link #start} sets them going.
     *
     * @param server this server's identity in {@code schedule_events} ({@code host:pid})
     * @param misfireThreshold how late a firing may come before it counts as missed
     */
    public PipelineScheduler(
            List<PipelineCatalog.Entry> scheduled,
            BackgroundRuns runs,
            ScheduleEvents events,
            String server,
            Duration misfireThreshold) {
        Map<String, PipelineSpec> specs =
                scheduled.stream().collect(Collectors.toMap(PipelineCatalog.Entry::name, PipelineCatalog.Entry::spec));
        ScheduledRun job = new ScheduledRun(specs, runs, events, server);
        this.scheduled = List.copyOf(scheduled);
        try {
            scheduler = new StdSchedulerFactory(properties(scheduled.size(), misfireThreshold)).getScheduler();
            scheduler.setJobFactory((bundle, owner) -> job);
            scheduler.getListenerManager().addTriggerListener(new MisfireRecorder(events, server, misfireThreshold));
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot set up the pipeline schedules: " + e.getMessage(), e);
        }
    }

    private static Properties properties(int pipelines, Duration misfireThreshold) {
        Properties properties = new Properties();
        // a name of its own: Quartz hands out one scheduler per name and JVM
        properties.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, "caravan-" + UUID.randomUUID());
        properties.setProperty(StdSchedulerFactory.PROP_THREAD_POOL_CLASS, SimpleThreadPool.class.getName());
        properties.setProperty(
                "org.quartz.threadPool.threadCount", String.valueOf(Math.max(1, Math.min(pipelines, MAX_THREADS))));
        properties.setProperty("org.quartz.threadPool.threadNamePrefix", "caravan-schedule");
        properties.setProperty(StdSchedulerFactory.PROP_JOB_STORE_CLASS, RAMJobStore.class.getName());
        properties.setProperty("org.quartz.jobStore.misfireThreshold", String.valueOf(misfireThreshold.toMillis()));
        return properties;
    }

    private void scheduleJob(String pipeline, String cron) throws SchedulerException {
        JobDetail job =
                JobBuilder.newJob(ScheduledRun.class).withIdentity(pipeline).build();
        Trigger trigger = TriggerBuilder.newTrigger()
                .withIdentity(pipeline)
                .forJob(job)
                .withSchedule(CronScheduleBuilder.cronSchedule(cron).withMisfireHandlingInstructionDoNothing())
                .build();
        scheduler.scheduleJob(job, trigger);
    }

    /** Sets the schedules going from now: a start that takes long misses no firing. */
    public void start() {
        try {
            for (PipelineCatalog.Entry entry : scheduled) {
                scheduleJob(entry.name(), entry.spec().schedule);
            }
            scheduler.start();
        } catch (SchedulerException e) {
            throw failure(e);
        }
    }

    /** When the pipeline's schedule fires next; empty when it has none here (or will never fire again). */
    public Optional<Instant> nextFire(String pipeline) {
        try {
            Trigger trigger = scheduler.getTrigger(TriggerKey.triggerKey(pipeline));
            return Optional.ofNullable(trigger).map(Trigger::getNextFireTime).map(Date::toInstant);
        } catch (SchedulerException e) {
            throw failure(e);
        }
    }

    /** Fires nothing more; waits for firings in progress, which only start runs and so end quickly. */
    @Override
    public void close() {
        try {
            scheduler.shutdown(true);
        } catch (SchedulerException e) {
            throw failure(e);
        }
    }

    private static IllegalStateException failure(SchedulerException e) {
        return new IllegalStateException("pipeline scheduler: " + e.getMessage(), e);
    }
}
