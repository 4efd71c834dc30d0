-- One row (info) per source whose newest document was published more than 7 days before the newest
-- document of any source: it may have stopped publishing, or stopped being collected. Needs at
-- least two sources with publication times.
with newest as (
    select coalesce(source, channel) as source, max(published_at) as newest_at, count(*) as documents
    from documents
    where published_at is not null and coalesce(source, channel) is not null
    group by all
),

overall as (
    select max(newest_at) as newest_at, count(*) as sources
    from newest
),

final as (
    select
        'source_stale' as check_name,
        'info' as severity,
        []::varchar[] as document_ids,
        []::varchar[] as claim_ids,
        cast(null as varchar) as region_code,
        format(
            'source ''{}'' has published nothing since {} ({} days before the newest document of any source, {})',
            newest.source, newest.newest_at, date_diff('day', newest.newest_at, overall.newest_at), overall.newest_at
        ) as message,
        newest.source || ':' || cast(newest.newest_at as varchar) as finding_key,
        date_diff('day', newest.newest_at, overall.newest_at) as days_behind
    from newest
    cross join overall
    where overall.sources >= 2 and newest.newest_at < overall.newest_at - interval 7 days
)

select * from final
