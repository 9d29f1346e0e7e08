-- Each stored indicator value also carries the same period a year before.
ALTER TABLE indicator_values ADD COLUMN year_before_value DOUBLE;
