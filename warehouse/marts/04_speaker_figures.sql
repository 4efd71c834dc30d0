-- speaker_figures: one row per speaker, reporting window, scope, region, outcome and weapon: the one
-- figure that speaker gives for it, built from current statements (no reprints, no superseded
-- versions, no cumulative figures). The building block of incidents, daily_counts and
-- speaker_agreement.
--
-- scope: 'region' for claims tied to a region that are not totals; 'total' for totals not tied to one
-- region (a ministry's national figure, region_code NULL). Totals are never summed into regions;
-- claims tied to no region that are not totals are left out (they stay in claims and claim_lineage).
-- figure: a speaker who reports one region several times in a window (overnight, then morning) gives
-- the sum of their reports over windows not inside another of theirs; a report without a known
-- window is compared with that sum and the larger wins (it is usually the same night retold).
-- Region-wide statements win over the speaker's town-level ones; a speaker who only names towns gives
-- the sum over the towns, flagged is_place_level (a part of the region, not all of it).
-- coverage_start / coverage_end: the span of the speaker's known windows (NULL when none is known).
with statements as (
    select
        *,
        if(is_total, 'total', 'region') as scope,
        window_start is not null and window_end is not null as window_known
    from statements
    where not is_cumulative
        and count is not null
        and ((not is_total and region_code is not null) or (is_total and region_code is null))
),

levelled as (
    select
        *,
        bool_or(place_key is null) over (
            partition by scope, region_code, report_window_start, report_window_end, outcome, weapon, speaker_key
        ) as has_region_level
    from statements
),

chosen as (
    select
        *,
        place_key is null or not has_region_level as is_chosen_level
    from levelled
),

flagged as (
    select
        chosen.*,
        chosen.is_chosen_level and not exists (
            select 1
            from chosen as wider
            where wider.is_chosen_level
                and wider.speaker_key = chosen.speaker_key
                and wider.scope = chosen.scope
                and wider.region_code is not distinct from chosen.region_code
                and wider.report_window_start is not distinct from chosen.report_window_start
                and wider.report_window_end is not distinct from chosen.report_window_end
                and wider.outcome = chosen.outcome
                and wider.weapon = chosen.weapon
                and wider.place_key is not distinct from chosen.place_key
                and wider.window_known and chosen.window_known
                and wider.window_start <= chosen.window_start
                and chosen.window_end <= wider.window_end
                and (wider.window_start, wider.window_end) <> (chosen.window_start, chosen.window_end)
        ) as is_counted
    from chosen
),

final as (
    select
        left(md5(concat_ws(
            '|', scope, coalesce(region_code, '-'), coalesce(cast(epoch_us(report_window_start) as varchar), '-'),
            coalesce(cast(epoch_us(report_window_end) as varchar), '-'), outcome, weapon
        )), 16) as incident_id,
        speaker_key,
        first(speaker order by first_published_at nulls last, statement_id) as speaker,
        first(speaker_role order by first_published_at nulls last, statement_id) as speaker_role,
        coalesce(
            first(speaker order by first_published_at nulls last, statement_id),
            first(speaker_role order by first_published_at nulls last, statement_id)
        ) as who,
        scope,
        region_code,
        report_window_start as window_start,
        report_window_end as window_end,
        outcome,
        weapon,
        cast(greatest(
            sum(count) filter (where is_counted and window_known),
            sum(count) filter (where is_counted and not window_known)
        ) as bigint) as figure,
        not bool_or(has_region_level) as is_place_level,
        min(window_start) filter (where is_counted and window_known) as coverage_start,
        max(window_end) filter (where is_counted and window_known) as coverage_end,
        list(statement_id order by statement_id) as statement_ids,
        list_sort(list(current_claim_id) filter (where is_counted)) as counted_claim_ids,
        list_sort(flatten(list(claim_ids))) as claim_ids
    from flagged
    group by scope, region_code, report_window_start, report_window_end, outcome, weapon, speaker_key
)

select * from final
