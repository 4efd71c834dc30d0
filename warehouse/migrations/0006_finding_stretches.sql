-- Findings are stored once per unbroken stretch of runs that found them unchanged, not once per
-- run: a big warehouse has 100k+ findings and most runs find the same ones, so a row per finding
-- per run grew the warehouse by every finding on every run and made each run read them all again
-- (1M documents: 180k findings a run, 0.8 s to copy forward and more with each run).
-- `dq_findings` stays what it was, one row per finding per run, as a view over the stretches.

-- The order runs started in, and whether a run stored its findings (a run that died before its
-- checks has none, though a stretch around it may cover its number).
alter table runs add column run_no integer;
alter table runs add column findings_stored boolean default false;

update runs set run_no = numbered.run_no
from (select run_id, row_number() over (order by started_at, run_id) as run_no from runs) as numbered
where runs.run_id = numbered.run_id;

-- One row per finding per stretch of consecutive runs (of those that stored findings) that found
-- it with the same severity, rows and message.
create table dq_finding_stretches (
    finding_id         varchar not null,
    check_name         varchar not null,
    severity           varchar not null,
    document_ids       varchar[],
    claim_ids          varchar[],
    region_code        varchar,
    message            varchar not null,
    first_run_no       integer not null,  -- the stretch's first run
    last_run_no        integer not null,  -- the stretch's last run
    found_first_run_no integer not null   -- the first run that ever found it: where it is new
);

update runs set findings_stored = true where run_id in (select run_id from dq_findings);

insert into dq_finding_stretches
select
    f.finding_id, f.check_name, f.severity, f.document_ids, f.claim_ids, f.region_code, f.message,
    r.run_no, r.run_no, min(r.run_no) over (partition by f.finding_id)
from dq_findings as f
join runs as r using (run_id);

drop table dq_findings;

-- One row per data-quality finding per run; finding_id is stable across runs.
create view dq_findings as
select
    r.run_id,
    s.finding_id,
    s.check_name,
    s.severity,
    s.document_ids,
    s.claim_ids,
    s.region_code,
    s.message,
    s.found_first_run_no = r.run_no as is_new
from dq_finding_stretches as s
join runs as r
    on r.run_no between s.first_run_no and s.last_run_no
where r.findings_stored;
