-- Each instance keeps the search terms of the published contributions in memory
-- (store/searchindex.go) and asks, before each search, what changed since it last looked.
-- contributions.search_version answers: the triggers below number every new contribution, and
-- every change of its search terms or status, from a single clock. SQLite has one writer, so the
-- numbers follow the order of commits, whichever process or instance writes (the server, an
-- import command, or SQL typed by hand).
--
-- The index is on the number alone: one that began with process_id, as most of this table's do,
-- looked to SQLite's planner like a better way to the API's list by id than the primary key
-- (its sampled statistics said 1,000 rows a process) and sorted every contribution instead.
CREATE TABLE search_clock (version INTEGER NOT NULL);
INSERT INTO search_clock (version) VALUES (0);
ALTER TABLE contributions ADD COLUMN search_version INTEGER NOT NULL DEFAULT 0;
CREATE INDEX contributions_search_version ON contributions (search_version);

CREATE TRIGGER contributions_search_version_insert AFTER INSERT ON contributions BEGIN
    UPDATE search_clock SET version = version + 1;
    UPDATE contributions SET search_version = (SELECT version FROM search_clock) WHERE id = NEW.id;
END;
CREATE TRIGGER contributions_search_version_update AFTER UPDATE OF search, status ON contributions
WHEN OLD.search IS NOT NEW.search OR OLD.status IS NOT NEW.status BEGIN
    UPDATE search_clock SET version = version + 1;
    UPDATE contributions SET search_version = (SELECT version FROM search_clock) WHERE id = NEW.id;
END;
