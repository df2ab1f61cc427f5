-- Issue 13: one firing, one run. A scheduled run claims its firing (the pipeline and the time the cron named, not
-- the clock of the server that fired) in the transaction that records the run, so two servers whose clocks
-- differ by more than a run's length still start one run for it.
create table schedule_claims (
    pipeline       text        not null,
    scheduled_for  timestamptz not null,
    run_id         uuid        not null references pipeline_runs (id) on delete cascade
                   deferrable initially deferred, -- the claim comes first, then the run it names
    server         text        not null,
    primary key (pipeline, scheduled_for)
);
create index schedule_claims_run_idx on schedule_claims (run_id);

alter table schedule_events drop constraint schedule_events_outcome_check;
alter table schedule_events add constraint schedule_events_outcome_check
    check (outcome in ('STARTED', 'SKIPPED_BUSY', 'SKIPPED_MISFIRE', 'SKIPPED_CLAIMED'));
