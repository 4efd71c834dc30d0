-- One row (warning) per source whose new documents in the latest run that added documents fell below
-- a quarter of its average over the five runs that added documents before it (when that average is
-- at least 5). A run that added nothing (re-reading unchanged dumps adds nothing anywhere) is no
-- drop and judges nothing: the latest run that added documents stays the one judged, so its finding
-- stays until a run adds documents again. A source is documents.source (the outlet or channel),
-- else the file it came from.
with run_volume as (
    select first_run_id as run_id, coalesce(source, origin, '(unknown)') as source, count(*) as documents
    from documents
    group by all
),

adding_runs as (
    select run_id, row_number() over (order by started_at desc, run_id desc) as recency
    from runs
    where run_id in (select run_id from run_volume)
),

judged_run as (
    select run_id
    from adding_runs
    where recency = 1
),

baseline_runs as (
    select run_id
    from adding_runs
    where recency between 2 and 6
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
    where run_id = (select run_id from judged_run)
),

dropped as (
    select baseline.source, baseline.average_documents, coalesce(latest.documents, 0) as latest_documents
    from baseline
    left join latest on baseline.source = latest.source
    where baseline.average_documents >= 5
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
            'source ''{}'' added {} document(s) in run {}, the latest that added any, against {} on average over its previous {} run(s): is it still being collected?',
            source, latest_documents, (select run_id from judged_run), round(average_documents, 1),
            (select count(*) from baseline_runs)
        ) as message,
        source || ':' || (select run_id from judged_run) as finding_key,
        latest_documents,
        average_documents
    from dropped
)

select * from final
