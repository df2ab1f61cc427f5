-- A model version's ONNX exports: FP32 and (when it could be built) INT8, their test metrics and latencies,
-- and which one the gate chose for deployment, with the reason.

create table model_exports (
    id                  bigint generated always as identity primary key,
    model_version_id    bigint      not null references model_versions (id),
    run_id              uuid        not null references pipeline_runs (id),
    stage_run_id        bigint      not null references stage_runs (id),
    fp32_artifact_id    bigint      not null references artifacts (id),
    int8_artifact_id    bigint      references artifacts (id),
    fp32                jsonb       not null,
    int8                jsonb       not null,
    chosen              text        not null check (chosen in ('fp32', 'int8')),
    reason              text        not null,
    created_at          timestamptz not null default now()
);
create index model_exports_version_idx on model_exports (model_version_id);
create index model_exports_run_idx on model_exports (run_id);
create index model_exports_stage_run_idx on model_exports (stage_run_id);
create index model_exports_fp32_idx on model_exports (fp32_artifact_id);
create index model_exports_int8_idx on model_exports (int8_artifact_id);
