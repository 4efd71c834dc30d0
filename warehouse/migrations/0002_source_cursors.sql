-- Incremental pulls: what each source has already given us, so a run reads only what is new.
-- Replaces pulled_files (whole-file fingerprints); a warehouse migrated from it re-reads its
-- files once, and document ids keep that from adding anything.

-- One row per file, archive member or URL read: how far it was read and how to tell it changed.
create table source_cursors (
    origin           varchar primary key,   -- path, "archive.zip!member", or URL
    kind             varchar not null,      -- file, member, url
    size_bytes       bigint,                -- file size when last read (stat; files only)
    mtime_ns         bigint,                -- file modification time when last read
    fingerprint      varchar,               -- sha256 of the content read so far (JSON Lines: of bytes_read bytes)
    bytes_read       bigint,                -- content consumed (gunzipped bytes for .gz)
    lines_read       bigint,                -- JSON Lines: lines consumed
    complete         boolean not null,      -- everything up to the end was read
    etag             varchar,               -- URL: ETag of the last response, sent as If-None-Match
    last_modified    varchar,               -- URL: Last-Modified, sent as If-Modified-Since
    last_message_id  bigint,                -- Telegram export: the highest message id loaded
    run_id           varchar not null,
    updated_at       timestamptz not null default now()
);

drop table pulled_files;

-- A run is a pull (`run`) or a replay of stored documents through extraction (`rebuild`).
alter table runs add column kind varchar default 'run';
alter table runs add column claims_removed bigint default 0;
alter table runs add column claims_changed bigint default 0;
alter table runs add column claims_unchanged bigint default 0;
