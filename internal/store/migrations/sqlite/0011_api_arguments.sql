-- The API lists a contribution's arguments and replies together in id order (ArgumentsAfter):
-- the partial indexes of the page's orders hold top-level arguments only, and without this one
-- the list walked the whole table by id.
CREATE INDEX arguments_contribution ON arguments (contribution_id, id);
-- Statistics for the new index at once: with statistics for the others but none for it, SQLite
-- 3.54 chose it for the page's "most useful" order and sorted (9 ms instead of 2 for a
-- contribution with 1,000 arguments).
ANALYZE arguments;
