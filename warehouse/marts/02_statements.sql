-- statements: one row per statement (a speaker's figure for one region, place, outcome and window;
-- see claim_lineage for the key), at its current version.
--
-- count, current_claim_id: the latest version's figure and the claim that first carried it; reprints
-- and superseded versions are not counted again but are listed in claim_ids / document_ids, so every
-- claim behind the figure stays reachable.
-- Rebuilt by cell, like claim_lineage: a run that added claims to some cells rebuilds only their rows.
with lineage as (
    select *
    from claim_lineage
    where rechecked(region_code, reporting_day)
),

history as (
    select
        statement_id,
        list(claim_id order by position_in_statement) as claim_ids,
        list_distinct(list(document_id order by position_in_statement)) as document_ids,
        min(published_at) as first_published_at,
        max(version_count) as version_count
    from lineage
    group by statement_id
),

current_versions as (
    select *
    from lineage
    where is_current and lineage_role <> 'reprint'
),

final as (
    select
        current_versions.statement_id,
        current_versions.speaker_key,
        current_versions.speaker,
        current_versions.speaker_role,
        current_versions.region_code,
        current_versions.place_key,
        current_versions.locality,
        current_versions.outcome,
        current_versions.weapon,
        current_versions.is_total,
        current_versions.is_cumulative,
        current_versions.count,
        current_versions.count_qualifier,
        current_versions.window_start,
        current_versions.window_end,
        current_versions.reporting_day,
        current_versions.report_window_start,
        current_versions.report_window_end,
        current_versions.claim_id as current_claim_id,
        current_versions.parent_claim_id,
        current_versions.published_at as current_published_at,
        history.first_published_at,
        history.version_count > 1 as is_corrected,
        history.claim_ids,
        history.document_ids
    from current_versions
    inner join history on current_versions.statement_id = history.statement_id
)

select * from final
