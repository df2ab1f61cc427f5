-- Images the deploy stage built for a model version: where they went, their reference and digest.

create table deployments (
    id                bigint generated always as identity primary key,
    model_version_id  bigint      not null references model_versions (id),
    run_id            uuid        not null references pipeline_runs (id),
    stage_run_id      bigint      not null references stage_runs (id),
    target            text        not null check (target in ('tar', 'registry', 'podman')),
    image             text        not null,
    digest            text        not null,
    image_id          text        not null,
    tar_file          text,
    status            text        not null check (status in ('DEPLOYED')),
    created_at        timestamptz not null default now()
);
create index deployments_version_idx on deployments (model_version_id);
create index deployments_run_idx on deployments (run_id);
create index deployments_stage_run_idx on deployments (stage_run_id);
