-- The API lists a contribution's arguments and replies together in id order (ArgumentsAfter):
-- the partial indexes of the page's orders hold top-level arguments only, and without this one
-- the list walked the whole table by id.
CREATE INDEX arguments_contribution ON arguments (contribution_id, id);
