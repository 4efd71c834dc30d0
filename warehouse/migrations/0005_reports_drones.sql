-- Whether a document reports drones: its text names one (drone, UAV, unmanned aerial, Shahed,
-- Geran, and their Russian and Ukrainian forms) and an event (shot down, destroyed, intercepted,
-- attack, debris, ...). The check drone_document_without_claim asks it of every document; stored
-- when a document is loaded (a document never changes), it is answered once instead of by scanning
-- every text on every run (1M documents: 1.2 s and most of the checks' memory).
create macro text_reports_drones(text) as
    regexp_matches(
        text,
        '\bdrones?\b|\buavs?\b|unmanned aerial|shahed|geran-|беспилот|бпла|дрон|безпілот|шахед|герань|герані',
        'i'
    )
    and regexp_matches(
        text,
        'shot down|destroyed|intercepted|downed|repelled|attack|struck|debris|'
        || 'сбит|сбил|уничтож|перехвач|подавлен|отраж|отраз|атак|обломк|'
        || 'збит|збил|знищ|перехопл|перехоп|відбит|атак|уламк',
        'i'
    );

alter table documents add column reports_drones boolean;

update documents set reports_drones = text_reports_drones(text);
