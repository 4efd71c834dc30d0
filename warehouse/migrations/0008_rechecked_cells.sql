-- The cell of a claim: its region and reporting day. A check whose findings about a cell's claims
-- change only when claims of that cell change (speakers_disagree, reprinted_claim) need only look at
-- the cells a run added claims to; its findings about the other cells still hold and are carried.
--
-- reporting_day_of: the UTC day of the window's end (minus a microsecond, so a window ending at 00:00
-- belongs to the evening it closes), else of its start, else of publication.
create macro reporting_day_of(window_start, window_end, published_at) as
    cast(timezone('UTC', coalesce(greatest(window_end - interval 1 microsecond, window_start), published_at)) as date);

-- rechecked: whether a check looks at this cell. Every cell, as defined here (a full check, an
-- ad-hoc query); a run that adds claims to some cells replaces it for its checks with a temporary
-- macro true only for those cells (expectations.checks.rechecking_cells_of).
create macro rechecked(region, day) as true;
