-- One row per claim whose region_code is not in regions.
with coded_claims as (
    select claim_id, document_id, region_code, quote
    from claims
    where region_code is not null
),

known_regions as (
    select code
    from regions
),

unknown as (
    select coded_claims.*
    from coded_claims
    anti join known_regions on coded_claims.region_code = known_regions.code
),

final as (
    select
        'region_code_known' as check_name,
        'error' as severity,
        [document_id] as document_ids,
        [claim_id] as claim_ids,
        region_code,
        format('claim {} names region code ''{}'', which is not in regions: "{}"', claim_id, region_code, quote) as message,
        region_code as finding_key,
        (select count(*) from known_regions) as known_region_count
    from unknown
)

select * from final
