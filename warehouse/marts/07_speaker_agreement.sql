-- speaker_agreement: one row per pair of speakers (speaker_key, a < b) who both gave a figure for at
-- least one incident (same scope, region, reporting window, outcome and weapon): how often they agree.
--
-- A pair agrees on an incident when their figures are equal, or, when one speaker covers only a part
-- of the other's (known windows inside the other's and under two thirds as long, as in incidents;
-- or towns only against the whole region), when the part's figure does not exceed the whole's (a part of the night cannot hold more
-- drones than the whole night). mean_abs_difference compares like with like: pairs where neither
-- covers only a part of the other.
-- disagreeing_claim_ids: the current claims behind the incidents they disagree on, to read the quotes.
with figures as (
    select * from speaker_figures
),

pairs as (
    select
        a.incident_id,
        a.speaker_key as speaker_a,
        b.speaker_key as speaker_b,
        a.who as who_a,
        b.who as who_b,
        a.speaker_role as role_a,
        b.speaker_role as role_b,
        a.figure as figure_a,
        b.figure as figure_b,
        (b.is_place_level and not a.is_place_level) or coalesce(
            a.coverage_start - interval 1 hour <= b.coverage_start
            and b.coverage_end <= a.coverage_end + interval 1 hour
            and 3 * date_diff('second', b.coverage_start, b.coverage_end)
                < 2 * date_diff('second', a.coverage_start, a.coverage_end), false
        ) as b_inside_a,
        (a.is_place_level and not b.is_place_level) or coalesce(
            b.coverage_start - interval 1 hour <= a.coverage_start
            and a.coverage_end <= b.coverage_end + interval 1 hour
            and 3 * date_diff('second', a.coverage_start, a.coverage_end)
                < 2 * date_diff('second', b.coverage_start, b.coverage_end), false
        ) as a_inside_b,
        list_concat(a.counted_claim_ids, b.counted_claim_ids) as pair_claim_ids
    from figures as a
    inner join figures as b
        on a.incident_id = b.incident_id
        and a.speaker_key < b.speaker_key
),

judged as (
    select
        *,
        case
            when b_inside_a then figure_b <= figure_a
            when a_inside_b then figure_a <= figure_b
            else figure_a = figure_b
        end as agrees
    from pairs
),

final as (
    select
        speaker_a,
        speaker_b,
        any_value(who_a) as speaker_a_name,
        any_value(who_b) as speaker_b_name,
        any_value(role_a) as role_a,
        any_value(role_b) as role_b,
        count(*) as overlapping_incidents,
        count(*) filter (where agrees) as agreeing_incidents,
        round(count(*) filter (where agrees) / count(*), 3) as agreement_rate,
        round(avg(abs(figure_a - figure_b)) filter (where not a_inside_b and not b_inside_a), 2)
            as mean_abs_difference,
        coalesce(list_sort(flatten(list(pair_claim_ids) filter (where not agrees))), []) as disagreeing_claim_ids
    from judged
    group by speaker_a, speaker_b
)

select * from final
