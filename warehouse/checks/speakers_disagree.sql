-- One row per pair of independent statements by different speakers giving different counts for the
-- same region, outcome, weapon and place over overlapping windows (or, windows unknown, in the same
-- document or on the same reporting day).
--
-- A speaker is compared by its key, not its spelling (the speaker_key macro, migration 0003). One
-- speaker is never compared with itself.
-- A statement is one speaker's count for one region, place, outcome and reporting day: outlets
-- retelling it (reprints, see reprinted_claim) add documents, not speakers. The earliest claim
-- speaks for it; its window is the first known window among its claims.
-- Rechecked by cell (the rechecked macro, migration 0008): a statement's claims share its region and
-- reporting day, and a pair changes only when one of its statements does, so a run that added claims
-- to some cells pairs only the statements of those cells (with any other) and keeps the other findings.
-- Window logic: a count over a window nested inside another speaker's longer window may be smaller,
-- never larger. Larger is a contradiction (error, a warning when a count is only a bound); smaller
-- is explainable (info); unknown or partly overlapping windows are undecidable (warning).
with claim_rows as (
    select
        claim_id,
        document_id,
        published_at,
        speaker_key(speaker_role, speaker, region_code) as speaker_key,
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
        reporting_day_of(window_start, window_end, published_at) as reporting_day,
        span_start,
        quote
    from claims
    where region_code is not null and count is not null and outcome is not null
),

statements as (
    select
        speaker_key,
        region_code,
        place_key,
        outcome,
        weapon,
        is_total,
        is_cumulative,
        count,
        reporting_day,
        first(claim_id order by published_at nulls last, document_id, span_start, claim_id) as claim_id,
        first(document_id order by published_at nulls last, document_id, span_start, claim_id) as document_id,
        first(who order by published_at nulls last, document_id, span_start, claim_id) as who,
        first(quote order by published_at nulls last, document_id, span_start, claim_id) as quote,
        bool_and(is_exact) as is_exact,
        first(window_start order by not window_known, published_at nulls last, document_id, span_start, claim_id)
            as window_start,
        first(window_end order by not window_known, published_at nulls last, document_id, span_start, claim_id)
            as window_end,
        bool_or(window_known) as window_known,
        list_sort(list_distinct(list(document_id))) as document_ids,
        rechecked(region_code, reporting_day) as rechecked
    from claim_rows
    group by all
),

buckets as (
    -- Where two statements can meet: each UTC day their window touches (at most 400), else their
    -- reporting day, and each of their documents. Pairs are only formed inside a bucket, so the
    -- comparison grows with claims per region and day, not with the square of all claims.
    select
        claim_id,
        unnest(list_concat(
            if(
                window_known,
                [cast(d as date) for d in generate_series(
                    cast(timezone('UTC', window_start) as date),
                    least(
                        cast(timezone('UTC', greatest(window_end - interval 1 microsecond, window_start)) as date),
                        cast(timezone('UTC', window_start) as date) + 400
                    ),
                    interval 1 day
                )],
                if(reporting_day is null, [], [reporting_day])
            ).list_transform(lambda d: 'day:' || cast(d as varchar)),
            document_ids.list_transform(lambda d: 'doc:' || d)
        )) as bucket,
        concat_ws('|', region_code, outcome, weapon, is_total, is_cumulative, coalesce(place_key, '-')) as scope,
        rechecked
    from statements
),

candidates as (
    -- each pair once, ordered by claim id, with a rechecked statement on the left (every statement
    -- is, unless the run rechecks only some cells)
    select distinct least(a.claim_id, b.claim_id) as claim_a, greatest(a.claim_id, b.claim_id) as claim_b
    from buckets as a
    inner join buckets as b
        on a.scope = b.scope
        and a.bucket = b.bucket
        and a.claim_id <> b.claim_id
    where a.rechecked and (a.claim_id < b.claim_id or not b.rechecked)
),

pairs as (
    select
        a.region_code,
        a.outcome,
        a.claim_id as claim_a,
        b.claim_id as claim_b,
        a.document_id as document_a,
        b.document_id as document_b,
        a.count as count_a,
        b.count as count_b,
        len(a.document_ids) - 1 as reprints_a,
        len(b.document_ids) - 1 as reprints_b,
        list_has_any(a.document_ids, b.document_ids) as share_document,
        a.is_exact and b.is_exact as both_exact,
        a.window_known and b.window_known as windows_known,
        a.window_start as start_a,
        a.window_end as end_a,
        b.window_start as start_b,
        b.window_end as end_b,
        a.reporting_day as day_a,
        b.reporting_day as day_b
    from candidates
    inner join statements as a on candidates.claim_a = a.claim_id
    inner join statements as b on candidates.claim_b = b.claim_id
    where a.speaker_key <> b.speaker_key
        and a.count <> b.count
),

related as (
    select
        *,
        case
            when not windows_known and share_document then 'same_document'
            when not windows_known and day_a = day_b then 'same_day'
            when not windows_known then null
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
            when 'same_day' then format('windows unknown, both about {}', day_a)
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
    -- who and quote joined only now, for the pairs that disagree: carried through the pairing they
    -- cost most of the check's memory (1M synthetic documents: 1.3M candidate pairs)
    select
        'speakers_disagree' as check_name,
        graded.severity,
        list_sort(list_distinct([graded.document_a, graded.document_b])) as document_ids,
        [graded.claim_a, graded.claim_b] as claim_ids,
        graded.region_code,
        format(
            '{} says {} {} in {} ("{}"){} but {} says {} ("{}"){}; {}',
            statement_a.who, graded.count_a, graded.outcome, graded.region_code, statement_a.quote,
            if(graded.reprints_a > 0, format(', retold by {} more document(s)', graded.reprints_a), ''),
            statement_b.who, graded.count_b, statement_b.quote,
            if(graded.reprints_b > 0, format(', retold by {} more document(s)', graded.reprints_b), ''),
            graded.relation_text
        ) as message,
        graded.outcome as finding_key,
        graded.relation,
        graded.count_a,
        graded.count_b,
        abs(graded.count_a - graded.count_b) as difference
    from graded
    inner join statements as statement_a on statement_a.claim_id = graded.claim_a
    inner join statements as statement_b on statement_b.claim_id = graded.claim_b
)

select * from final
