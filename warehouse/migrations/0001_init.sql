-- The warehouse's first shape. One statement per relation; each says what one row is.

-- One row per pipeline run.
create table runs (
    run_id           varchar primary key,
    started_at       timestamptz not null,
    finished_at      timestamptz,
    status           varchar not null,          -- running, completed, failed (raised), interrupted (killed; marked by the next run)
    sources          varchar[],
    documents_read   bigint default 0,
    documents_new    bigint default 0,
    rejected         bigint default 0,
    claims_new       bigint default 0,
    findings_error   integer default 0,
    findings_warning integer default 0,
    findings_info    integer default 0,
    findings_new_error integer default 0
);

-- One row per document ever read (first version of its id wins).
create table documents (
    id            varchar primary key,
    source        varchar,
    published_at  timestamptz,
    url           varchar,
    title         varchar,
    lang          varchar,
    channel       varchar,
    text          varchar not null,
    content_hash  varchar not null,
    origin        varchar,
    record_no     bigint,
    first_run_id  varchar not null
);

-- One row per record (or whole file) that could not be read, with why.
create table rejected (
    reject_id     varchar primary key,         -- hash of origin, record number and reason
    origin        varchar not null,
    record_no     bigint,
    reason        varchar not null,
    excerpt       varchar,
    first_run_id  varchar not null
);

-- One row per dump file already loaded, so an unchanged file is not parsed again.
create table pulled_files (
    origin        varchar not null,
    fingerprint   varchar not null,
    size_bytes    bigint,
    documents     bigint,
    rejected      bigint,
    run_id        varchar not null,
    primary key (origin, fingerprint)
);

-- One row per place a claim can be tied to: Russian federal subjects, Ukrainian oblasts, water areas.
create table regions (
    code     varchar primary key,
    country  varchar not null,
    kind     varchar not null,
    name_en  varchar not null,
    name_ru  varchar,
    name_uk  varchar
);

-- One row per town of the gazetteer (GeoNames), with its region.
create table localities (
    locality_id  bigint primary key,
    name_en      varchar not null,
    name_ru      varchar,
    name_uk      varchar,
    region_code  varchar,
    population   bigint,
    lat          double,
    lon          double
);

-- One row per number a speaker claims in a document (see the `claims` view for the contract).
create table extracted_claims (
    claim_id         varchar primary key,
    document_id      varchar not null,
    claim_no         integer not null,
    speaker          varchar,
    speaker_role     varchar not null,
    outcome          varchar not null,
    count            bigint,
    count_qualifier  varchar not null,
    is_total         boolean not null,
    is_cumulative    boolean not null default false,
    parent_claim_id  varchar,
    region_code      varchar,
    locality         varchar,
    locality_id      bigint,
    window_start     timestamptz,
    window_end       timestamptz,
    window_text      varchar,
    weapon           varchar,
    quote            varchar not null,
    span_start       bigint not null,
    span_end         bigint not null,
    run_id           varchar not null
);

-- One row per town named with a claim, resolved or not.
create table claim_places (
    claim_id     varchar not null,
    name         varchar not null,
    locality_id  bigint,
    region_code  varchar,
    resolved     boolean not null,
    primary key (claim_id, name)
);

-- One row per data-quality finding per run; finding_id is stable across runs.
create table dq_findings (
    run_id        varchar not null,
    finding_id    varchar not null,
    check_name    varchar not null,
    severity      varchar not null,
    document_ids  varchar[],
    claim_ids     varchar[],
    region_code   varchar,
    message       varchar not null,
    is_new        boolean not null,
    primary key (run_id, finding_id)
);

-- The contract read by checks, marts and outside tools: one row per claim, with its document's
-- source and publication time.
create view claims as
with final as (
    select
        c.claim_id,
        c.document_id,
        d.source,
        d.published_at,
        c.speaker,
        c.speaker_role,
        c.outcome,
        c.count,
        c.count_qualifier,
        c.is_total,
        c.is_cumulative,
        c.parent_claim_id,
        c.region_code,
        c.locality,
        c.locality_id,
        c.window_start,
        c.window_end,
        c.window_text,
        c.weapon,
        c.quote,
        c.span_start,
        c.span_end
    from extracted_claims as c
    join documents as d on d.id = c.document_id
)
select * from final;
