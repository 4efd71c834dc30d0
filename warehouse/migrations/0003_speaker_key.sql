-- Who a claim's speaker is when statements are compared (checks, marts, the report), by key rather
-- than spelling: the defence ministry and the military are their role ("defence ministry",
-- "Минобороны России" and "Russian Ministry of Defence" are one speaker); a regional or city head is
-- the role plus the region (the governor of Kaluga Oblast, however named); anyone else is
-- lower(speaker), or the role when no speaker is named.
create macro speaker_key(speaker_role, speaker, region_code) as
    case
        when speaker_role in ('regional_head', 'city_head')
            then speaker_role || ':' || coalesce(region_code, lower(trim(speaker)), 'unknown')
        when speaker_role in ('defence_ministry', 'military') then speaker_role
        else coalesce(lower(trim(speaker)), speaker_role, 'unknown')
    end;
