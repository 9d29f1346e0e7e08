-- Each stored value also carries the span its data covers, where its still revisable part begins, and the spans
-- its previous and year-before values were computed over (like for like with the covered span).
ALTER TABLE indicator_values ADD COLUMN covered_start DATE;
ALTER TABLE indicator_values ADD COLUMN covered_end DATE;
ALTER TABLE indicator_values ADD COLUMN provisional_from DATE;
ALTER TABLE indicator_values ADD COLUMN previous_start DATE;
ALTER TABLE indicator_values ADD COLUMN previous_end DATE;
ALTER TABLE indicator_values ADD COLUMN year_before_start DATE;
ALTER TABLE indicator_values ADD COLUMN year_before_end DATE;
