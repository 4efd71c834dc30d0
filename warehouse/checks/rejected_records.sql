-- One row (info) per kind of reason records were rejected for, over the whole warehouse: how many,
-- how many of them the latest run that rejected any added (named, so that a run rejecting nothing
-- leaves the finding as it was), and where the first few are. The kind is the reason without its
-- line number, quoted ids, parenthesised details and anything after the first colon
-- ("line 4: invalid JSON: Unterminated string ..." is "invalid JSON").
with latest_rejecting_run as (
    select run_id
    from runs
    where run_id in (select first_run_id from rejected)
    order by started_at desc
    limit 1
),

grouped_reasons as (
    select
        *,
        trim(regexp_replace(
            regexp_replace(
                regexp_replace(
                    regexp_replace(reason, '^(line|record|message|row) [0-9]+: ', ''),
                    '''[^'']*''', '''…''', 'g'
                ),
                '\s*\([^)]*\)', '', 'g'
            ),
            '^(document ''…'': )?([^:]*).*$', '\2'
        )) as reason_kind
    from rejected
),

final as (
    select
        'rejected_records' as check_name,
        'info' as severity,
        []::varchar[] as document_ids,
        []::varchar[] as claim_ids,
        cast(null as varchar) as region_code,
        format(
            '{} record(s) rejected as "{}" ({} by {}, the latest run that rejected any); e.g. {}',
            count(*), reason_kind,
            count(*) filter (where first_run_id = (select run_id from latest_rejecting_run)),
            coalesce((select run_id from latest_rejecting_run), 'a run no longer in runs'),
            string_agg(origin || coalesce(':' || cast(record_no as varchar), ''), ', '
                       order by origin, record_no)[:300]
        ) as message,
        reason_kind as finding_key,
        count(*) as rejected_count,
        count(*) filter (where first_run_id = (select run_id from latest_rejecting_run)) as rejected_by_latest
    from grouped_reasons
    group by reason_kind
)

select * from final
