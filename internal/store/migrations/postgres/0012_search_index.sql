-- Each instance keeps the search terms of the published contributions in memory
-- (store/searchindex.go) and asks, before each search, what changed since it last looked.
-- contributions.search_version answers: the trigger below stamps every new contribution, and
-- every change of its search terms or status, with the id of the transaction that made it. An
-- instance then reads the rows stamped at or after the oldest transaction still running when it
-- last looked (pg_snapshot_xmin): every change committed since is among them, whichever instance
-- (or SQL typed by hand) made it. Transaction ids (xid8) never wrap around.
ALTER TABLE contributions ADD COLUMN search_version BIGINT NOT NULL DEFAULT 0;
CREATE INDEX contributions_search_version ON contributions (search_version);

CREATE FUNCTION contributions_search_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_version := pg_current_xact_id()::text::bigint;
    RETURN NEW;
END $$;

CREATE TRIGGER contributions_search_version BEFORE INSERT OR UPDATE OF search, status ON contributions
    FOR EACH ROW EXECUTE FUNCTION contributions_search_version();
