-- incidents: one row per region and reporting window (a UTC day by default; the whole days of a
-- claim's window when it is longer than 30 hours; NULL when a claim gives no time at all), outcome
-- and weapon, reconciling every speaker's figure for it (see speaker_figures). scope 'total' rows
-- (region_code NULL) reconcile national totals; they are never added to the regions.
--
-- Independent speakers: one per speaker_key, so reprints and retellings of one claim count once.
-- A speaker is partial when their known windows sit inside another speaker's (an hour's slack at
-- each end) and span less than two thirds of it ("03:00-05:00" against the ministry's overnight; a
-- governor's 21:00-06:50 against the ministry's 21:00-07:00 is the same night, not a part), or when
-- they only name towns while another speaker covers the whole region; partial figures are lower
-- bounds, not rivals, unless no speaker covers the whole.
-- count_low / count_high: the smallest and largest figure of the speakers counted; a partial figure
--   above count_high raises it (the whole cannot be smaller than a part).
-- count_best: the conservative choice, with why in count_best_reason: the figure itself when every
--   counted speaker gives the same one; otherwise the lowest figure of a primary official source
--   (defence_ministry, military, regional_head, city_head), or the lowest of all when none speaks.
-- A counted speaker agrees when their figure equals count_best; a partial one when it does not
--   exceed it.
-- claim_ids: every claim behind the row (reprints and superseded versions included);
-- counted_claim_ids: the current claims whose figures were compared.
with figures as (
    select
        *,
        speaker_role in ('defence_ministry', 'military', 'regional_head', 'city_head') as is_official
    from speaker_figures
),

nesting as (
    select
        figures.*,
        exists (
            select 1
            from figures as other
            where other.incident_id = figures.incident_id
                and other.speaker_key <> figures.speaker_key
                and (
                    (figures.is_place_level and not other.is_place_level)
                    or (
                        other.coverage_start - interval 1 hour <= figures.coverage_start
                        and figures.coverage_end <= other.coverage_end + interval 1 hour
                        and 3 * date_diff('second', figures.coverage_start, figures.coverage_end)
                            < 2 * date_diff('second', other.coverage_start, other.coverage_end)
                    )
                )
        ) as is_partial
    from figures
),

counted as (
    select
        *,
        not is_partial or not bool_or(not is_partial) over (partition by incident_id) as is_counted
    from nesting
),

choices as (
    select
        incident_id,
        count(*) filter (where is_counted) as counted_speakers,
        count(distinct figure) filter (where is_counted) as distinct_figures,
        min(figure) filter (where is_counted) as lowest,
        max(figure) as highest_any,
        min(figure) filter (where is_counted and is_official) as lowest_official,
        string_agg(format('{} {}', who, figure), ', ' order by figure, who) filter (where is_counted) as figures_text,
        count(*) filter (where not is_counted) as partial_speakers
    from counted
    group by incident_id
),

best as (
    select
        *,
        coalesce(lowest_official, lowest) as count_best,
        case
            when counted_speakers = 1 and partial_speakers = 0 then format('single speaker: {}', figures_text)
            when counted_speakers = 1 then format('one speaker for the whole window: {}', figures_text)
            when distinct_figures = 1 then format('all {} speakers agree', counted_speakers)
            when lowest_official is not null
                then format('lowest official figure of {} disagreeing speakers: {}', counted_speakers, figures_text)
            else format('lowest of {} disagreeing speakers, none official: {}', counted_speakers, figures_text)
        end
        || if(partial_speakers > 0, format('; {} partial (nested window or towns only)', partial_speakers), '')
            as count_best_reason
    from choices
),

judged as (
    select
        counted.*,
        best.count_best,
        if(counted.is_counted, counted.figure = best.count_best, counted.figure <= best.count_best) as agrees
    from counted
    inner join best on counted.incident_id = best.incident_id
),

final as (
    select
        judged.incident_id,
        any_value(judged.scope) as scope,
        any_value(judged.region_code) as region_code,
        any_value(judged.window_start) as window_start,
        any_value(judged.window_end) as window_end,
        any_value(judged.outcome) as outcome,
        any_value(judged.weapon) as weapon,
        any_value(best.lowest) as count_low,
        any_value(best.count_best) as count_best,
        any_value(best.highest_any) as count_high,
        any_value(best.count_best_reason) as count_best_reason,
        count(*) as independent_speakers,
        bool_or(not judged.agrees) as is_disputed,
        coalesce(list(judged.who order by judged.who) filter (where judged.agrees), []) as agreeing_speakers,
        coalesce(list(judged.who order by judged.who) filter (where not judged.agrees), []) as disagreeing_speakers,
        coalesce(list_sort(list_distinct(list(judged.speaker_role) filter (where judged.agrees))), [])
            as agreeing_roles,
        coalesce(list_sort(list_distinct(list(judged.speaker_role) filter (where not judged.agrees))), [])
            as disagreeing_roles,
        list_sort(flatten(list(judged.counted_claim_ids) filter (where judged.is_counted))) as counted_claim_ids,
        list_sort(flatten(list(judged.claim_ids))) as claim_ids
    from judged
    inner join best on judged.incident_id = best.incident_id
    group by judged.incident_id
)

select * from final
