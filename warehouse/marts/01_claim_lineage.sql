-- claim_lineage: one row per claim (every claim, nothing dropped), placed in its statement's history.
--
-- A statement is what one speaker said about one region, place, outcome and window. Its key:
--   speaker_key   regional_head / city_head: the role and the claim's region (one governor speaks for a
--                 region, however a news story spells his name); defence_ministry / military: the role;
--                 anyone else: lower(speaker), or the role when no speaker is named
--   + region_code, place (locality_id or lower(locality)), outcome, weapon, is_total, is_cumulative,
--   + the claim's window (start, end; either may be unknown) and its reporting day.
-- The window is in the key because a ministry reports the same region several times a day
-- (overnight, morning, evening): those are different statements, not corrections of each other.
--
-- reporting_day: the UTC day of the window's end (minus a microsecond, so a window ending at 00:00
-- belongs to the evening it closes), else of its start, else of publication; NULL when none is known
-- (such claims keep a NULL-day row downstream rather than being dropped). UTC rather than Moscow or
-- Kyiv time: windows are stored in UTC, and UTC favours neither side's clock.
--
-- report_window_start / report_window_end: the reporting window the claim is reconciled in. A day by
-- default; a claim whose own window is longer than 30 hours ("over the past week") keeps the whole
-- days it spans, so it never competes with one night's figure.
--
-- Within a statement, claims are ordered by publication (then document id, then position). The first
-- claim of each distinct count is a version: the first version is `first_seen`, a later one is a
-- `correction` (a revised figure, "уточнена інформація") that supersedes the version before it; any
-- other claim repeats a count already seen and is a `reprint` of that version's first claim.
-- is_current: the claim carries the statement's latest version. Superseded claims stay here,
-- queryable, with superseded_by_claim_id naming the correction that replaced them.
--
-- Rebuilt by cell: a statement's claims share one region and reporting day (its cell, see the
-- rechecked macro, migration 0008), so a run that added claims to some cells rebuilds only their rows.
with claims as (
    select
        claim_id,
        document_id,
        source,
        published_at,
        speaker,
        speaker_role,
        speaker_key(speaker_role, speaker, region_code) as speaker_key,
        outcome,
        coalesce(weapon, 'drone') as weapon,
        count,
        count_qualifier,
        coalesce(is_total, false) as is_total,
        coalesce(is_cumulative, false) as is_cumulative,
        parent_claim_id,
        region_code,
        locality,
        locality_id,
        coalesce(cast(locality_id as varchar), lower(trim(locality))) as place_key,
        window_start,
        window_end,
        window_text,
        quote,
        span_start,
        coalesce(greatest(window_end - interval 1 microsecond, window_start), published_at) as reported_at,
        window_start is not null and window_end is not null
            and window_end - window_start > interval 30 hours as is_multi_day
    from claims
    where rechecked(region_code, reporting_day_of(window_start, window_end, published_at))
),

placed as (
    select
        *,
        reporting_day_of(window_start, window_end, published_at) as reporting_day,  -- the day of reported_at
        case
            when reported_at is null then null
            when is_multi_day then timezone('UTC', cast(cast(timezone('UTC', window_start) as date) as timestamp))
            else timezone('UTC', cast(cast(timezone('UTC', reported_at) as date) as timestamp))
        end as report_window_start,
        case
            when reported_at is null then null
            when is_multi_day then timezone('UTC', cast(cast(timezone('UTC', reported_at) as date) as timestamp))
                + interval 1 day
            else timezone('UTC', cast(cast(timezone('UTC', reported_at) as date) as timestamp)) + interval 1 day
        end as report_window_end
    from claims
),

keyed as (
    select
        *,
        left(md5(concat_ws(
            '|', speaker_key, coalesce(region_code, '-'), coalesce(place_key, '-'), outcome, weapon,
            is_total, is_cumulative, coalesce(cast(epoch_us(window_start) as varchar), '-'),
            coalesce(cast(epoch_us(window_end) as varchar), '-'), coalesce(cast(reporting_day as varchar), '-')
        )), 16) as statement_id
    from placed
),

sequenced as (
    select
        *,
        row_number() over (
            partition by statement_id order by published_at nulls last, document_id, span_start, claim_id
        ) as seq
    from keyed
),

versioned as (
    select
        *,
        min(seq) over (partition by statement_id, count) as version_seq,
        first_value(claim_id) over (partition by statement_id, count order by seq) as version_claim_id,
        first_value(claim_id) over (partition by statement_id order by seq) as first_seen_claim_id
    from sequenced
),

versions as (
    select
        statement_id,
        claim_id as version_claim_id,
        row_number() over (partition by statement_id order by seq) as version_no,
        count(*) over (partition by statement_id) as version_count,
        lag(claim_id) over (partition by statement_id order by seq) as previous_version_claim_id,
        lead(claim_id) over (partition by statement_id order by seq) as next_version_claim_id
    from versioned
    where seq = version_seq
),

final as (
    select
        versioned.claim_id,
        versioned.statement_id,
        versioned.document_id,
        versioned.source,
        versioned.published_at,
        case
            when versioned.seq <> versioned.version_seq then 'reprint'
            when versions.version_no = 1 then 'first_seen'
            else 'correction'
        end as lineage_role,
        versions.version_no = versions.version_count as is_current,
        versions.version_no,
        versions.version_count,
        versioned.seq as position_in_statement,
        versioned.first_seen_claim_id,
        if(versioned.seq <> versioned.version_seq, versioned.version_claim_id, null) as reprint_of_claim_id,
        if(versioned.seq = versioned.version_seq, versions.previous_version_claim_id, null) as corrects_claim_id,
        if(versions.version_no < versions.version_count, versions.next_version_claim_id, null)
            as superseded_by_claim_id,
        versioned.speaker,
        versioned.speaker_role,
        versioned.speaker_key,
        versioned.region_code,
        versioned.locality,
        versioned.locality_id,
        versioned.place_key,
        versioned.outcome,
        versioned.weapon,
        versioned.count,
        versioned.count_qualifier,
        versioned.is_total,
        versioned.is_cumulative,
        versioned.parent_claim_id,
        versioned.window_start,
        versioned.window_end,
        versioned.window_text,
        versioned.reporting_day,
        versioned.report_window_start,
        versioned.report_window_end,
        versioned.quote
    from versioned
    inner join versions
        on versioned.statement_id = versions.statement_id
        and versioned.version_claim_id = versions.version_claim_id
)

select * from final
