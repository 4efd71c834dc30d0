-- The version of the code that derives findings and marts from the data (a hash of the check
-- queries, the mart queries and the expectations code; see pipeline.derived_version). A run that
-- adds nothing carries forward the findings of the last completed run of the same version instead
-- of checking unchanged data again, and keeps its marts.
alter table runs add column derived_version varchar;
