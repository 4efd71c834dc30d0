-- One row per pair of claims by different speakers giving different counts for the same region,
-- outcome, weapon and place over overlapping windows (or, windows unknown, in the same document or
-- published on the same UTC day).
with statements as (
    select
        claim_id,
        document_id,
        cast(timezone('UTC', published_at) as date) as published_on,
        speaker,
        speaker_role,
        coalesce(speaker, speaker_role, 'unknown speaker')
            || if(speaker is not null and speaker_role is not null, format(' ({})', speaker_role), '') as who,
        outcome,
        count,
        coalesce(count_qualifier, 'exact') = 'exact' as is_exact,
        coalesce(is_total, false) as is_total,
        coalesce(is_cumulative, false) as is_cumulative,
        region_code,
        coalesce(cast(locality_id as varchar), lower(locality)) as place_key,
        coalesce(weapon, 'drone') as weapon,
        window_start,
        window_end,
        window_start is not null and window_end is not null as window_known,
        quote
    from claims
    where region_code is not null and count is not null and outcome is not null
),

pairs as (
    select
        a.region_code,
        a.outcome,
        a.claim_id as claim_a,
        b.claim_id as claim_b,
        a.document_id as document_a,
        b.document_id as document_b,
        a.who as who_a,
        b.who as who_b,
        a.count as count_a,
        b.count as count_b,
        a.quote as quote_a,
        b.quote as quote_b,
        a.is_exact and b.is_exact as both_exact,
        a.window_known and b.window_known as windows_known,
        a.window_start as start_a,
        a.window_end as end_a,
        b.window_start as start_b,
        b.window_end as end_b,
        a.published_on as published_a,
        b.published_on as published_b
    from statements as a
    inner join statements as b
        on a.claim_id < b.claim_id
        and a.region_code = b.region_code
        and a.outcome = b.outcome
        and a.weapon = b.weapon
        and a.is_total = b.is_total
        and a.is_cumulative = b.is_cumulative
        and a.place_key is not distinct from b.place_key
        and a.count <> b.count
        and (a.speaker_role is distinct from b.speaker_role or a.speaker is distinct from b.speaker)
),

related as (
    select
        *,
        case
            when not windows_known and document_a = document_b then 'same_document'
            when not windows_known and published_a = published_b then 'same_day'
            when start_a = start_b and end_a = end_b then 'same_window'
            when start_a <= start_b and end_b <= end_a then 'b_inside_a'
            when start_b <= start_a and end_a <= end_b then 'a_inside_b'
            when start_a < end_b and start_b < end_a then 'partial_overlap'
        end as relation
    from pairs
),

graded as (
    select
        *,
        case relation
            when 'same_day' then 'warning'
            when 'same_document' then 'warning'
            when 'partial_overlap' then 'warning'
            when 'same_window' then if(both_exact, 'error', 'warning')
            when 'b_inside_a' then if(count_b > count_a, if(both_exact, 'error', 'warning'), 'info')
            when 'a_inside_b' then if(count_a > count_b, if(both_exact, 'error', 'warning'), 'info')
        end as severity,
        case relation
            when 'same_day' then format('windows unknown, both published on {}', published_a)
            when 'same_document' then 'windows unknown, both in the same document'
            when 'partial_overlap' then 'their windows overlap only in part'
            when 'same_window' then format('over the same window {} to {}', start_a, end_a)
            when 'b_inside_a' then if(
                count_b > count_a,
                'the second count is larger yet covers a shorter window inside the first',
                'the second count covers a shorter window inside the first'
            )
            when 'a_inside_b' then if(
                count_a > count_b,
                'the first count is larger yet covers a shorter window inside the second',
                'the first count covers a shorter window inside the second'
            )
        end as relation_text
    from related
    where relation is not null
),

final as (
    select
        'speakers_disagree' as check_name,
        severity,
        list_sort(list_distinct([document_a, document_b])) as document_ids,
        [claim_a, claim_b] as claim_ids,
        region_code,
        format(
            '{} says {} {} in {} ("{}") but {} says {} ("{}"); {}',
            who_a, count_a, outcome, region_code, quote_a, who_b, count_b, quote_b, relation_text
        ) as message,
        outcome as finding_key,
        count_a,
        count_b,
        abs(count_a - count_b) as difference
    from graded
)

select * from final
