-- One row (error) per breakdown item whose total is missing: its parent_claim_id names no claim.
-- Such an item cannot be checked against a total and is counted by no breakdown_adds_up finding.
with items as (
    select claim_id, document_id, parent_claim_id, region_code, count, quote
    from claims
    where parent_claim_id is not null
),

known_claims as (
    select claim_id
    from claims
),

orphans as (
    select items.*
    from items
    anti join known_claims on items.parent_claim_id = known_claims.claim_id
),

final as (
    select
        'breakdown_item_has_total' as check_name,
        'error' as severity,
        [document_id] as document_ids,
        [claim_id] as claim_ids,
        region_code,
        format(
            'item claim {} ({} in {}) belongs to total {}, which is not a claim: "{}"',
            claim_id, coalesce(cast(count as varchar), 'no count'), coalesce(region_code, 'no region'),
            parent_claim_id, quote
        ) as message,
        parent_claim_id as finding_key,
        count
    from orphans
)

select * from final
