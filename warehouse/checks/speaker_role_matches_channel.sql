-- One row (warning) per claim spoken by a Telegram channel whose name implies one role while the
-- claim carries another: a channel named for a governor ("Губернатор ...", "Governor ...") speaks as
-- regional_head, one named for the defence ministry ("Минобороны ...", "Ministry of Defence ...")
-- as defence_ministry, one named for a mayor as city_head. Only claims attributed to the channel
-- itself (speaker = the channel name, or no speaker) are compared: a channel quoting someone else
-- names that speaker.
with channel_documents as (
    select
        id as document_id,
        channel,
        case
            when regexp_matches(lower(channel), 'губернатор|governor|губернатора|глава (региона|области|края|республики)|голова .*(ова|ода)')
                then 'regional_head'
            when regexp_matches(lower(channel), 'минобороны|министерств[а-я]* обороны|міноборони|міністерств[а-яіїє]* оборони|ministry of defen[cs]e|defen[cs]e ministry|(^|[^a-z])mod([^a-z]|$)')
                then 'defence_ministry'
            when regexp_matches(lower(channel), 'мэр|mayor|міський голова|глава города')
                then 'city_head'
        end as channel_role
    from documents
    where channel is not null
),

spoken_by_channel as (
    select claims.claim_id, claims.document_id, claims.region_code, claims.speaker, claims.speaker_role,
        claims.quote, channel_documents.channel, channel_documents.channel_role
    from claims
    inner join channel_documents on claims.document_id = channel_documents.document_id
    where channel_documents.channel_role is not null
        and (claims.speaker is null or lower(trim(claims.speaker)) = lower(trim(channel_documents.channel)))
        and claims.speaker_role is distinct from channel_documents.channel_role
),

final as (
    select
        'speaker_role_matches_channel' as check_name,
        'warning' as severity,
        [document_id] as document_ids,
        [claim_id] as claim_ids,
        region_code,
        format('claim {} is spoken by channel ''{}'', whose name says {}, but carries speaker role {}: "{}"',
               claim_id, channel, channel_role, coalesce(speaker_role, 'none'), quote) as message,
        speaker_role as finding_key,
        channel_role
    from spoken_by_channel
)

select * from final
