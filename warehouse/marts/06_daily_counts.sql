-- daily_counts: one row per UTC day, region, outcome, weapon and speaker role, for charts and time
-- series. Days with no claims are absent, not zero.
--
-- count: the figure of that role's speakers for the region and day (speaker_figures, day-sized
--   windows only: a claim over several days stays in incidents); when several speakers of one role
--   speak (two news outlets), the largest figure, since they describe the same night.
-- allocation: 'region' for a region's figure; 'unallocated' (region_code NULL) for the part of a
--   national total that its own breakdown does not explain: total minus the sum of its items
--   (claims whose parent_claim_id is the total), or the whole total when it has no breakdown.
--   So within one speaker role, summing a day's rows gives the national figure without counting any
--   drone twice. Never sum across roles: each role retells the same events.
-- Cumulative figures, reprints and superseded versions are left out (see cumulative_claims,
-- claim_lineage). A NULL day collects the claims that give no time at all.
with day_figures as (
    select
        cast(timezone('UTC', window_start) as date) as day,
        *
    from speaker_figures
    where window_start is null or window_end - window_start = interval 1 day
),

regional as (
    select
        day,
        region_code,
        outcome,
        weapon,
        speaker_role,
        'region' as allocation,
        max(figure) as count,
        list(who order by who) as speakers,
        list_sort(flatten(list(claim_ids))) as claim_ids
    from day_figures
    where scope = 'region'
    group by day, region_code, outcome, weapon, speaker_role
),

totals as (
    select
        statements.*,
        cast(timezone('UTC', statements.report_window_start) as date) as day,
        coalesce(statements.speaker, statements.speaker_role) as who
    from statements
    where statements.is_total
        and statements.region_code is null
        and not statements.is_cumulative
        and statements.count is not null
        and (
            statements.report_window_start is null
            or statements.report_window_end - statements.report_window_start = interval 1 day
        )
),

items as (
    select
        parent_claim_id,
        cast(sum(count) as bigint) as items_sum,
        list(claim_id) as item_claim_ids
    from claims
    where parent_claim_id is not null
        and region_code is not null
        and not coalesce(is_cumulative, false)
    group by parent_claim_id
),

unexplained as (
    select
        totals.*,
        totals.count - coalesce(items.items_sum, 0) as remainder,
        list_concat(totals.claim_ids, coalesce(items.item_claim_ids, [])) as remainder_claim_ids
    from totals
    left join items on totals.current_claim_id = items.parent_claim_id
),

unallocated as (
    select
        day,
        cast(null as varchar) as region_code,
        outcome,
        weapon,
        speaker_role,
        'unallocated' as allocation,
        cast(sum(remainder) as bigint) as count,
        list_distinct(list(who order by who)) as speakers,
        list_sort(flatten(list(remainder_claim_ids))) as claim_ids
    from unexplained
    where remainder > 0
    group by day, outcome, weapon, speaker_role
),

final as (
    select * from regional
    union all by name
    select * from unallocated
)

select * from final
