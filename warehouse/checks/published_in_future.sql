-- One row (warning) per document published more than a day after the run started: a misread or
-- mistyped date (a dump's `published`). Its claims without a reporting window are counted on that
-- future day (claim_lineage.reporting_day, daily_counts, incidents); they are the finding's claims.
with current_run as (
    select coalesce(max(started_at), now()) as started_at
    from runs
),

future as (
    select documents.id as document_id, documents.published_at, current_run.started_at as run_started_at
    from documents
    cross join current_run
    where documents.published_at > current_run.started_at + interval 1 day
),

undated_claims as (
    select document_id, list(claim_id order by claim_id) as claim_ids
    from claims
    where window_start is null and window_end is null
      and document_id in (select document_id from future)
    group by document_id
),

final as (
    select
        'published_in_future' as check_name,
        'warning' as severity,
        [future.document_id] as document_ids,
        coalesce(undated_claims.claim_ids, []::varchar[]) as claim_ids,
        cast(null as varchar) as region_code,
        format(
            'document {} says it was published {}, after this run started ({}); {} claim(s) without a reporting window are counted on that day',
            future.document_id, future.published_at, future.run_started_at, len(coalesce(undated_claims.claim_ids, []))
        ) as message,
        future.document_id as finding_key
    from future
    left join undated_claims using (document_id)
)

select * from final
