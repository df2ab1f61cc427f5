-- Training candidates with their per-epoch history, and the model registry: names with numbered versions.

create table training_candidates (
    id                     bigint generated always as identity primary key,
    run_id                 uuid             not null references pipeline_runs (id) on delete cascade,
    stage_run_id           bigint           not null references stage_runs (id) on delete cascade,
    candidate              int              not null,
    params                 jsonb            not null,
    usable                 boolean          not null,
    best_epoch             int,
    stopped_epoch          int              not null,
    stop_reason            text             not null,
    best_validation_loss   double precision,
    best_validation_metric double precision,
    device                 text             not null,
    seconds                double precision not null,
    unique (stage_run_id, candidate)
);
create index training_candidates_run_idx on training_candidates (run_id);
create index training_candidates_stage_run_idx on training_candidates (stage_run_id);

create table training_epochs (
    candidate_id       bigint           not null references training_candidates (id) on delete cascade,
    epoch              int              not null,
    train_loss         double precision not null,
    validation_loss    double precision not null,
    validation_metric  double precision not null,
    learning_rate      double precision not null,
    seconds            double precision not null,
    primary key (candidate_id, epoch)
);

create table models (
    name        text primary key,
    created_at  timestamptz not null default now()
);

create table model_versions (
    id                     bigint generated always as identity primary key,
    model_name             text        not null references models (name),
    version                int         not null,
    run_id                 uuid        not null references pipeline_runs (id),
    stage_run_id           bigint      not null references stage_runs (id),
    candidate              int         not null,
    dataset_sha256         char(64)    not null,
    transform_artifact_id  bigint      not null references artifacts (id),
    params_artifact_id     bigint      not null references artifacts (id),
    metrics                jsonb       not null,
    baseline               jsonb       not null,
    params                 jsonb       not null,
    best_epoch             int         not null,
    stopped_epoch          int         not null,
    stop_reason            text        not null,
    device                 text        not null,
    created_at             timestamptz not null default now(),
    unique (model_name, version)
);
create index model_versions_run_idx on model_versions (run_id);
create index model_versions_stage_run_idx on model_versions (stage_run_id);
create index model_versions_transform_idx on model_versions (transform_artifact_id);
create index model_versions_params_idx on model_versions (params_artifact_id);
create index model_versions_dataset_idx on model_versions (dataset_sha256);
