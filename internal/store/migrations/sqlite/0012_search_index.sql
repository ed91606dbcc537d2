-- Each instance keeps the search terms of a process' published contributions in memory
-- (store/searchindex.go) and asks, before each search, what changed since it last looked.
-- contributions.search_version answers: the triggers below number every new contribution, and
-- every change of its search terms or status, from processes.search_version. SQLite has one
-- writer, so the numbers follow the order of commits, whichever process or instance writes (the
-- server, an import command, or SQL typed by hand).
ALTER TABLE processes ADD COLUMN search_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE contributions ADD COLUMN search_version INTEGER NOT NULL DEFAULT 0;
CREATE INDEX contributions_search_version ON contributions (process_id, search_version);

CREATE TRIGGER contributions_search_version_insert AFTER INSERT ON contributions BEGIN
    UPDATE processes SET search_version = search_version + 1 WHERE id = NEW.process_id;
    UPDATE contributions SET search_version = (SELECT search_version FROM processes WHERE id = NEW.process_id)
    WHERE id = NEW.id;
END;
CREATE TRIGGER contributions_search_version_update AFTER UPDATE OF search, status ON contributions
WHEN OLD.search IS NOT NEW.search OR OLD.status IS NOT NEW.status BEGIN
    UPDATE processes SET search_version = search_version + 1 WHERE id = NEW.process_id;
    UPDATE contributions SET search_version = (SELECT search_version FROM processes WHERE id = NEW.process_id)
    WHERE id = NEW.id;
END;
