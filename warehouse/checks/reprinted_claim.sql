-- One row (info) per statement retold by more than one document: the same speaker (by the speaker_key
-- macro), region, outcome, count and reporting day. A reprint is one claim with
-- several documents, not corroboration: speakers_disagree and the report count it once.
-- Rechecked by cell (the rechecked macro, migration 0008): a statement's claims share its region and
-- reporting day; a run that added claims to some cells looks only at those.
with claim_rows as (
    select
        claim_id,
        document_id,
        source,
        published_at,
        speaker_key(speaker_role, speaker, region_code) as speaker_key,
        coalesce(speaker, speaker_role, 'unknown speaker') as who,
        outcome,
        count,
        coalesce(is_total, false) as is_total,
        coalesce(is_cumulative, false) as is_cumulative,
        region_code,
        coalesce(weapon, 'drone') as weapon,
        reporting_day_of(window_start, window_end, published_at) as reporting_day,
        span_start
    from claims
    where count is not null and outcome is not null
        and rechecked(region_code, reporting_day_of(window_start, window_end, published_at))
),

statements as (
    select
        speaker_key,
        region_code,
        outcome,
        weapon,
        is_total,
        is_cumulative,
        count,
        reporting_day,
        first(who order by published_at nulls last, document_id, span_start, claim_id) as who,
        first(document_id order by published_at nulls last, document_id, span_start, claim_id) as first_document_id,
        list_sort(list(claim_id)) as claim_ids,
        list_sort(list_distinct(list(document_id))) as document_ids,
        list_sort(list_distinct(list(source) filter (where source is not null))) as sources
    from claim_rows
    group by all
),

final as (
    select
        'reprinted_claim' as check_name,
        'info' as severity,
        document_ids,
        claim_ids,
        region_code,
        format(
            '{}''s {}{} {} {}{} is retold by {} documents ({}); first in {}; counted once, not as corroboration',
            who, if(is_total, 'total of ', ''), count, outcome,
            coalesce('in ' || region_code, 'in all regions'),
            coalesce(' on ' || cast(reporting_day as varchar), ''),
            len(document_ids), array_to_string(document_ids, ', '), first_document_id
        ) as message,
        concat_ws(':', speaker_key, coalesce(region_code, '-'), outcome, weapon, count,
                  coalesce(cast(reporting_day as varchar), '-')) as finding_key,
        len(document_ids) as document_count,
        sources
    from statements
    where len(document_ids) > 1
)

select * from final
