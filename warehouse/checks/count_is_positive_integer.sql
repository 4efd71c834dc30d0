-- One row per claim whose count is missing or below one (error) or above 5000 (warning).
with claim_counts as (
    select claim_id, document_id, region_code, count, quote
    from claims
),

graded as (
    select
        *,
        case
            when count is null or count < 1 then 'error'
            when count > 5000 then 'warning'
        end as severity,
        case
            when count is null then 'missing'
            when count < 1 then 'below_one'
            else 'above_5000'
        end as finding_key
    from claim_counts
),

final as (
    select
        'count_is_positive_integer' as check_name,
        severity,
        [document_id] as document_ids,
        [claim_id] as claim_ids,
        region_code,
        case finding_key
            when 'missing' then format('claim {} has no count: "{}"', claim_id, quote)
            when 'below_one' then format('claim {} gives a count of {}, not a positive whole number: "{}"', claim_id, count, quote)
            else format('claim {} gives a count of {}, more than the 5000 one report plausibly counts: "{}"', claim_id, count, quote)
        end as message,
        finding_key,
        count
    from graded
    where severity is not null
)

select * from final
