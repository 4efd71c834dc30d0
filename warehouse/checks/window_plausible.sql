-- One row per claim whose reporting window cannot be right: it ends after the run started (error:
-- a window in the future, usually a misread date), or it starts after its document was published
-- (warning: a statement reports what already happened). Windows that end before they start are the
-- GX rule window_ordered. One hour of slack covers clock and time-zone rounding.
with current_run as (
    select coalesce(max(started_at), now()) as started_at
    from runs
),

windowed as (
    select claim_id, document_id, region_code, published_at, window_start, window_end, window_text, quote
    from claims
    where window_start is not null or window_end is not null
),

graded as (
    select
        windowed.*,
        current_run.started_at as run_started_at,
        case
            when coalesce(window_end, window_start) > current_run.started_at + interval 1 hour then 'future'
            when window_start > published_at + interval 1 hour then 'after_publication'
        end as finding_key
    from windowed
    cross join current_run
),

final as (
    select
        'window_plausible' as check_name,
        if(finding_key = 'future', 'error', 'warning') as severity,
        [document_id] as document_ids,
        [claim_id] as claim_ids,
        region_code,
        if(
            finding_key = 'future',
            format('claim {} has a window ending {}, after the run started ({}); window as written: "{}": "{}"',
                   claim_id, coalesce(window_end, window_start), run_started_at, coalesce(window_text, ''), quote),
            format('claim {} has a window starting {}, after its document was published ({}); window as written: "{}": "{}"',
                   claim_id, window_start, published_at, coalesce(window_text, ''), quote)
        ) as message,
        finding_key
    from graded
    where finding_key is not null
)

select * from final
