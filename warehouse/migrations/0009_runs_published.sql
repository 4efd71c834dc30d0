-- Whether the snapshot holds a run's data and findings: the run copied the warehouse to it, or
-- changed nothing and left standing a snapshot that already held the same. A run that records
-- itself completed and dies while copying leaves it unset, so the next run publishes again even if
-- it changes nothing itself.
alter table runs add column published boolean;
