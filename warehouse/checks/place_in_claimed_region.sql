-- One row (warning) per resolved town named with a claim that lies outside the region the claim
-- names. A capital and the region around it count as one (Moscow / Moscow Oblast, Saint Petersburg
-- / Leningrad Oblast, Kyiv / Kyiv Oblast, Sevastopol / Crimea), and a claim over a sea may name a
-- coastal town of any region.
with places as (
    select distinct claim_id, name, locality_id, region_code as place_region
    from claim_places
    where coalesce(resolved, locality_id is not null) and region_code is not null
),

claimed as (
    select claim_id, document_id, region_code, quote
    from claims
    where region_code is not null and not starts_with(region_code, 'SEA-')
),

paired_regions as (
    select * from (values
        ('RU-MOW', 'RU-MOS'), ('RU-SPE', 'RU-LEN'), ('UA-30', 'UA-32'), ('UA-40', 'UA-43')
    ) as t(a, b)
),

outside as (
    select places.*, claimed.document_id, claimed.region_code, claimed.quote
    from places
    inner join claimed on places.claim_id = claimed.claim_id
    where places.place_region <> claimed.region_code
        and not exists (
            select 1
            from paired_regions
            where (a = places.place_region and b = claimed.region_code)
                or (b = places.place_region and a = claimed.region_code)
        )
),

final as (
    select
        'place_in_claimed_region' as check_name,
        'warning' as severity,
        [document_id] as document_ids,
        [claim_id] as claim_ids,
        region_code,
        format(
            'town ''{}'' named with claim {} lies in {}, not in {} the claim names: "{}"',
            name, claim_id, place_region, region_code, quote
        ) as message,
        lower(name) as finding_key,
        place_region
    from outside
)

select * from final
