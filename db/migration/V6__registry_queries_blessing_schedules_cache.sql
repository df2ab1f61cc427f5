-- Issue 6: what registry queries filter on, alias history, blessings, schedule events and the step cache.

-- One row per metric, parameter and tag of a run, so that filters and ordering use plain b-tree indexes.
create table run_metrics (
    run_id  uuid             not null references pipeline_runs (id) on delete cascade,
    key     text             not null,
    value   double precision not null,
    primary key (run_id, key)
);
create index run_metrics_key_value_idx on run_metrics (key, value);

create table run_params (
    run_id  uuid not null references pipeline_runs (id) on delete cascade,
    key     text not null,
    value   text not null,
    primary key (run_id, key)
);
create index run_params_key_value_idx on run_params (key, value);

create table run_tags (
    run_id  uuid not null references pipeline_runs (id) on delete cascade,
    key     text not null,
    value   text not null,
    primary key (run_id, key)
);
create index run_tags_key_value_idx on run_tags (key, value);

-- Every move of an alias: who moved it, when, from which version, and why.
create table model_alias_history (
    id               bigint generated always as identity primary key,
    model_name       text        not null references models (name),
    alias            text        not null,
    from_version_id  bigint      references model_versions (id),
    to_version_id    bigint      not null references model_versions (id),
    moved_by         text        not null,
    reason           text        not null,
    forced           boolean     not null default false,
    moved_at         timestamptz not null default now()
);
create index model_alias_history_alias_idx on model_alias_history (model_name, alias, moved_at desc);
create index model_alias_history_from_idx on model_alias_history (from_version_id);
create index model_alias_history_to_idx on model_alias_history (to_version_id);

-- The evaluation gate's decision for a model version against the champion, with its numbers.
create table model_blessings (
    id                   bigint generated always as identity primary key,
    model_version_id     bigint           not null unique references model_versions (id),
    run_id               uuid             not null references pipeline_runs (id),
    stage_run_id         bigint           not null references stage_runs (id),
    blessed              boolean          not null,
    metric               text             not null,
    direction            text             not null check (direction in ('higher', 'lower')),
    candidate_value      double precision not null,
    champion_version_id  bigint           references model_versions (id),
    champion_value       double precision,
    absolute_change      double precision,
    relative_change      double precision,
    reason               text             not null,
    created_at           timestamptz      not null default now()
);
create index model_blessings_run_idx on model_blessings (run_id);
create index model_blessings_stage_run_idx on model_blessings (stage_run_id);
create index model_blessings_champion_idx on model_blessings (champion_version_id);

-- What each firing of a schedule did: started a run, or skipped (pipeline busy, or a misfire).
create table schedule_events (
    id             bigint generated always as identity primary key,
    pipeline       text        not null,
    scheduled_for  timestamptz,
    fired_at       timestamptz not null default now(),
    outcome        text        not null check (outcome in ('STARTED', 'SKIPPED_BUSY', 'SKIPPED_MISFIRE')),
    run_id         uuid        references pipeline_runs (id) on delete set null,
    server         text        not null,
    detail         text
);
create index schedule_events_pipeline_idx on schedule_events (pipeline, fired_at desc);
create index schedule_events_run_idx on schedule_events (run_id);

-- The step cache: a stage's key (its config and input checkpoints); a reused stage names its source.
alter table stage_runs add column cache_key char(64);
alter table stage_runs add column cached_from bigint references stage_runs (id);
create index stage_runs_cache_idx on stage_runs (stage, cache_key) where status = 'SUCCEEDED';
create index stage_runs_cached_from_idx on stage_runs (cached_from);

-- How many times a run was resumed after a failure.
alter table pipeline_runs add column resumed int not null default 0;
