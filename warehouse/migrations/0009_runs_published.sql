-- The run whose copy of the warehouse the snapshot is, as each run left it: the run itself when it
-- copied the warehouse; when it changed nothing and left the snapshot standing, the run that copied
-- it. NULL for a run that recorded itself completed and died while copying: the next run copies
-- again, even if it changes nothing itself.
alter table runs add column published_by varchar;
