/**
 * Pipeline schedules for {@code caravan server}: {@link dev.caravan.schedule.PipelineScheduler} fires each spec's
 * Quartz cron expression (in memory, one scheduler per server). A firing starts a background run, or records
 * that the pipeline was busy; a missed firing is skipped and recorded. Every outcome is a {@code schedule_events}
 * row naming the server ({@code host:pid}). No two runs of a pipeline overlap, even from two servers on one
 * database: the pipeline's PostgreSQL advisory lock decides, not the schedulers.
 */
package dev.caravan.schedule;
