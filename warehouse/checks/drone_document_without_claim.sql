-- One row (warning) when documents that report drones downed, attacking or falling yielded no
-- claim: a recall alarm for the extractor. Lists the first 20 such documents by id; read them to see
-- what the extractor missed. A document reports drones when its text names one (drone, UAV, unmanned
-- aerial, Shahed, Geran, and their Russian and Ukrainian forms) and an event (shot down, destroyed,
-- intercepted, attack, debris, ...): a drone show or a text about dronewatch is no report. The
-- test is the macro text_reports_drones (migration 0005), stored per document as reports_drones.
with drone_documents as (
    -- stored when the document was loaded (migration 0005)
    select id, source, published_at
    from documents
    where reports_drones

    union all

    -- computed for rows written without it; a branch of its own, so that the texts are read only
    -- for those rows (the one filter `coalesce(reports_drones, ...)` read every text: 1M, 450 MiB)
    select id, source, published_at
    from documents
    where reports_drones is null and text_reports_drones(text)
),

silent as (
    select *
    from drone_documents
    anti join (select distinct document_id from claims) as claimed on drone_documents.id = claimed.document_id
),

final as (
    select
        'drone_document_without_claim' as check_name,
        'warning' as severity,
        list(id order by id)[:20] as document_ids,
        []::varchar[] as claim_ids,
        cast(null as varchar) as region_code,
        format(
            '{} of {} document(s) about drones yielded no claim (the extractor may have missed them): {}{}',
            count(*), (select count(*) from drone_documents),
            array_to_string(list(id order by id)[:20], ', '),
            if(count(*) > 20, ', ...', '')
        ) as message,
        'recall' as finding_key,
        count(*) as silent_documents
    from silent
    having count(*) > 0
)

select * from final
