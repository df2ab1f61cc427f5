-- Issue 10: NaN and infinite metrics are stored, not dropped, so that a diverged run can be found
-- (metrics.val_loss = 'NaN'). The flag says which values comparisons, aggregates and "best version" may use.
alter table run_metrics add column finite boolean not null
    generated always as (value not in ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8)) stored;

-- A dataset row names the stage run that recorded it, so that the step cache copies what a stage recorded by the
-- stage run alone, as it does for artifacts and candidates. Rows from before were all recorded by ingest.
alter table datasets add column stage_run_id bigint references stage_runs (id);
update datasets d set stage_run_id = (select s.id from stage_runs s where s.run_id = d.run_id and s.stage = 'ingest'
    order by s.id limit 1);
create index datasets_stage_run_idx on datasets (stage_run_id);
