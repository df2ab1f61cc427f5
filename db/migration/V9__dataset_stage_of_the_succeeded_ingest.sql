-- V8 linked each older dataset to its run's first ingest stage run. A run whose first ingest attempt failed and
-- whose resumed attempt recorded the dataset then pointed at the failed attempt, and the step cache, which
-- copies what the succeeded attempt recorded, found no dataset to copy. Link such rows to the newest succeeded
-- ingest of their run.
update datasets d
set stage_run_id = (select s.id from stage_runs s
                    where s.run_id = d.run_id and s.stage = 'ingest' and s.status = 'SUCCEEDED'
                    order by s.id desc limit 1)
where exists (select 1 from stage_runs s where s.id = d.stage_run_id and s.status <> 'SUCCEEDED')
  and exists (select 1 from stage_runs s
              where s.run_id = d.run_id and s.stage = 'ingest' and s.status = 'SUCCEEDED');
