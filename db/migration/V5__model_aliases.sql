-- Named pointers to model versions (e.g. champion); a server following an alias swaps when it moves.

create table model_aliases (
    model_name        text        not null references models (name),
    alias             text        not null,
    model_version_id  bigint      not null references model_versions (id),
    updated_at        timestamptz not null default now(),
    primary key (model_name, alias)
);
create index model_aliases_version_idx on model_aliases (model_version_id);
