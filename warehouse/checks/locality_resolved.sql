-- One row per town named with a claim that could not be resolved to a locality.
with places as (
    select distinct claim_id, name, region_code, resolved, locality_id
    from claim_places
),

unresolved as (
    select *
    from places
    where not coalesce(resolved, locality_id is not null)
),

claim_quotes as (
    select claim_id, document_id, quote
    from claims
),

named as (
    select
        unresolved.*,
        claim_quotes.document_id,
        claim_quotes.quote,
        count(*) over (partition by unresolved.claim_id) as unresolved_in_claim
    from unresolved
    left join claim_quotes on unresolved.claim_id = claim_quotes.claim_id
),

final as (
    select
        'locality_resolved' as check_name,
        'warning' as severity,
        case when document_id is null then []::varchar[] else [document_id] end as document_ids,
        [claim_id] as claim_ids,
        region_code,
        format(
            'town ''{}'' named with claim {} could not be resolved{}: "{}"',
            name,
            claim_id,
            case when region_code is null then '' else format(' in {}', region_code) end,
            coalesce(quote, '')
        ) as message,
        lower(name) as finding_key,
        unresolved_in_claim
    from named
)

select * from final
