-- One row (warning) per source whose new documents in the latest run fell below a quarter of its
-- average over the previous five runs that added documents (when that average is at least 5).
-- Only a run that added documents is judged: re-reading unchanged dumps adds nothing anywhere and
-- is no drop. A source is documents.source (the outlet or channel), else the file it came from.
with run_order as (
    select run_id, started_at, row_number() over (order by started_at desc, run_id desc) as recency
    from runs
),

current_run as (
    select run_id
    from run_order
    where recency = 1
),

run_volume as (
    select first_run_id as run_id, coalesce(source, origin, '(unknown)') as source, count(*) as documents
    from documents
    group by all
),

earlier_runs as (
    select run_id, row_number() over (order by recency) as recency
    from run_order
    where recency > 1 and run_id in (select run_id from run_volume)
),

baseline_runs as (
    select run_id
    from earlier_runs
    where recency <= 5
),

baseline as (
    select
        run_volume.source,
        sum(run_volume.documents) / (select count(*) from baseline_runs) as average_documents
    from run_volume
    inner join baseline_runs on run_volume.run_id = baseline_runs.run_id
    group by run_volume.source
),

latest as (
    select source, documents
    from run_volume
    where run_id = (select run_id from current_run)
),

dropped as (
    select baseline.source, baseline.average_documents, coalesce(latest.documents, 0) as latest_documents
    from baseline
    left join latest on baseline.source = latest.source
    where exists (select 1 from latest)
        and baseline.average_documents >= 5
        and coalesce(latest.documents, 0) < baseline.average_documents / 4
),

final as (
    select
        'source_volume_dropped' as check_name,
        'warning' as severity,
        []::varchar[] as document_ids,
        []::varchar[] as claim_ids,
        cast(null as varchar) as region_code,
        format(
            'source ''{}'' added {} document(s) in the latest run against {} on average over its previous {} run(s): is it still being collected?',
            source, latest_documents, round(average_documents, 1), (select count(*) from baseline_runs)
        ) as message,
        source || ':' || (select run_id from current_run) as finding_key,
        latest_documents,
        average_documents
    from dropped
)

select * from final
