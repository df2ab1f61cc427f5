-- The run store: pipeline runs, their stages, the datasets they read and the artifacts they wrote.

create table pipeline_runs (
    id            uuid primary key,
    pipeline      text        not null,
    trigger       text        not null,
    status        text        not null check (status in ('RUNNING', 'SUCCEEDED', 'FAILED')),
    config        jsonb       not null,
    artifact_dir  text        not null,
    started_at    timestamptz not null default now(),
    finished_at   timestamptz,
    heartbeat_at  timestamptz not null default now(),
    failed_stage  text,
    error         text
);
create index pipeline_runs_started_idx on pipeline_runs (started_at desc);
create index pipeline_runs_pipeline_idx on pipeline_runs (pipeline, started_at desc);

create table stage_runs (
    id           bigint generated always as identity primary key,
    run_id       uuid        not null references pipeline_runs (id) on delete cascade,
    stage        text        not null,
    attempt      int         not null default 1,
    status       text        not null check (status in ('RUNNING', 'SUCCEEDED', 'FAILED')),
    started_at   timestamptz not null default now(),
    finished_at  timestamptz,
    rows_in      bigint,
    rows_out     bigint,
    error        text,
    metrics      jsonb       not null default '{}'::jsonb,
    unique (run_id, stage, attempt)
);
create index stage_runs_run_idx on stage_runs (run_id);

create table datasets (
    id            bigint generated always as identity primary key,
    run_id        uuid        not null references pipeline_runs (id) on delete cascade,
    source        text        not null,
    sha256        char(64)    not null,
    bytes         bigint      not null,
    row_count     bigint      not null,
    column_count  int         not null,
    schema        jsonb       not null,
    column_stats  jsonb       not null,
    created_at    timestamptz not null default now()
);
create index datasets_run_idx on datasets (run_id);
create index datasets_sha256_idx on datasets (sha256);

create table artifacts (
    id            bigint generated always as identity primary key,
    run_id        uuid        not null references pipeline_runs (id) on delete cascade,
    stage_run_id  bigint      not null references stage_runs (id) on delete cascade,
    kind          text        not null,
    path          text        not null,
    sha256        char(64)    not null,
    bytes         bigint      not null,
    created_at    timestamptz not null default now()
);
create index artifacts_run_idx on artifacts (run_id);
create index artifacts_stage_run_idx on artifacts (stage_run_id);
create index artifacts_sha256_idx on artifacts (sha256);
