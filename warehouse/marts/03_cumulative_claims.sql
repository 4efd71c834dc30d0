-- cumulative_claims: one row per cumulative claim ("since the start of the operation": a running
-- figure), with its speaker and the time it is as of. Cumulative figures live here and nowhere else:
-- incidents, daily_counts and speaker_agreement leave them out, so they are never summed with period
-- figures.
--
-- as_of: the end of the claim's window, else its document's publication time.
-- is_current / superseded_by_claim_id: as in claim_lineage (a reprint or a revised running figure).
with lineage as (
    select * from claim_lineage
    where is_cumulative
),

final as (
    select
        claim_id,
        statement_id,
        speaker,
        speaker_role,
        speaker_key,
        region_code,
        outcome,
        weapon,
        count,
        count_qualifier,
        coalesce(window_end, published_at) as as_of,
        window_start as since,
        window_text,
        is_total,
        lineage_role,
        is_current,
        superseded_by_claim_id,
        document_id,
        source,
        published_at,
        quote
    from lineage
)

select * from final
