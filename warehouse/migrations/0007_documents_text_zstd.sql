-- Document texts compressed with zstd instead of DuckDB's own choice (FSST or none for long
-- texts): the documents table is most of a warehouse, and written block by block as a dump is
-- loaded. Measured on 348k documents of the benchmark (bench/results.md): 154 -> 70 MiB, and
-- writing them 4.3 -> 2.5 s. A column's compression is set when its table is created, so the
-- table is created again and its rows copied.

create table documents_zstd (
    id             varchar primary key,
    source         varchar,
    published_at   timestamptz,
    url            varchar,
    title          varchar,
    lang           varchar,
    channel        varchar,
    text           varchar not null using compression zstd,
    content_hash   varchar not null,
    origin         varchar,
    record_no      bigint,
    first_run_id   varchar not null,
    reports_drones boolean
);

insert into documents_zstd
select id, source, published_at, url, title, lang, channel, text, content_hash, origin, record_no, first_run_id,
       reports_drones
from documents;

drop table documents;

alter table documents_zstd rename to documents;
