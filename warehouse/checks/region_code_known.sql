-- One row per claim whose region_code is not in regions (error), and per town named with a claim
-- whose region_code is not in regions (warning: the gazetteer and the regions table disagree).
with coded_claims as (
    select claim_id, document_id, region_code, quote, cast(null as varchar) as place_name
    from claims
    where region_code is not null
),

coded_places as (
    select distinct claim_places.claim_id, claims.document_id, claim_places.region_code, claims.quote,
        claim_places.name as place_name
    from claim_places
    left join claims on claim_places.claim_id = claims.claim_id
    where claim_places.region_code is not null
),

known_regions as (
    select code
    from regions
),

unknown as (
    select *
    from (select * from coded_claims union all select * from coded_places) as coded
    anti join known_regions on coded.region_code = known_regions.code
),

final as (
    select
        'region_code_known' as check_name,
        if(place_name is null, 'error', 'warning') as severity,
        case when document_id is null then []::varchar[] else [document_id] end as document_ids,
        [claim_id] as claim_ids,
        region_code,
        if(
            place_name is null,
            format('claim {} names region code ''{}'', which is not in regions: "{}"', claim_id, region_code, quote),
            format('town ''{}'' of claim {} is placed in region code ''{}'', which is not in regions',
                   place_name, claim_id, region_code)
        ) as message,
        if(place_name is null, region_code, format('place:{}:{}', lower(place_name), region_code)) as finding_key,
        (select count(*) from known_regions) as known_region_count
    from unknown
)

select * from final
