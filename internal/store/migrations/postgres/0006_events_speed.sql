-- The events list, its map and its calendar feed at 10,000 events (issue 4). The store keeps, in
-- memory, how many events each filter selects per département, and when the first of them starts
-- and ends (store/event_stats.go), and the web server keeps what it draws from them (the map, the
-- calendar feed); processes.events_version tells them when they may have changed. The triggers
-- below move it whenever an event is added, deleted or changed, or its axes are, except for the
-- registration counters (events.registered and events.waiting): registrations move nothing.
-- Inserts and deletes move it once per statement (a bulk load of 10,000 events is one); updates,
-- which compare the counters before and after, once per row.

ALTER TABLE processes ADD COLUMN events_version BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION events_version_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'events' THEN
        UPDATE processes SET events_version = events_version + 1 WHERE id IN (SELECT process_id FROM changed);
    ELSE
        UPDATE processes SET events_version = events_version + 1
        WHERE id IN (SELECT e.process_id FROM events e JOIN changed c ON c.event_id = e.id);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION events_version_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE processes SET events_version = events_version + 1 WHERE id IN (OLD.process_id, NEW.process_id);
    RETURN NULL;
END $$;

CREATE TRIGGER events_version_insert AFTER INSERT ON events
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION events_version_rows();
CREATE TRIGGER events_version_update AFTER UPDATE ON events
    FOR EACH ROW WHEN (OLD.registered = NEW.registered AND OLD.waiting = NEW.waiting)
    EXECUTE FUNCTION events_version_update();
CREATE TRIGGER events_version_delete AFTER DELETE ON events
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION events_version_rows();
CREATE TRIGGER event_axes_version_insert AFTER INSERT ON event_axes
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION events_version_rows();
CREATE TRIGGER event_axes_version_delete AFTER DELETE ON event_axes
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION events_version_rows();

-- events_upcoming serves those figures: one pass over the events not yet over, covering the
-- département, the kind and both dates.
DROP INDEX events_upcoming;
CREATE INDEX events_upcoming ON events (process_id, status, ends_at, departement, kind, starts_at);
-- A list filtered by département (and kind), or by kind alone, reads its events in date order
-- from the first start of the filter's events; events_list serves the unfiltered list.
DROP INDEX events_by_departement;
CREATE INDEX events_by_departement ON events (process_id, status, departement, starts_at, id, ends_at, kind);
DROP INDEX events_by_kind;
CREATE INDEX events_by_kind ON events (process_id, status, kind, starts_at, id, ends_at, departement);
