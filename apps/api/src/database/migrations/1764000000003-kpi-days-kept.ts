import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The KPI figures of each closed day, kept (`kpi_day`): a quarter's report adds up ninety days
 * of counts instead of reading and counting the facts of 125,000 tickets again. Kept per day,
 * department and assignee (a report's scopes), as counts, the seconds a median needs (float8,
 * packed) and the tickets each figure names.
 *
 * A kept day is correct as long as nothing it counted changed. The database says when it did,
 * whatever wrote the change (the api, a migration, an operator's UPDATE): triggers on the
 * ticket, its clock rounds, its alarm and its unit mark each kept day a changed fact falls on
 * (`kpi_day_stale`), and the next report or sweep counts that day again.
 *
 * The race between a day being kept and a change to it: the keeper takes the day's advisory
 * lock before its snapshot, a change takes it shared before it looks whether the day is kept,
 * so a change the keeper could not see finds the day kept and marks it. Only days before
 * today (the estate's) are marked: a day is kept only once it has been over for a while
 * (KEEP_AFTER_MS), longer than any transaction runs.
 */
export class KpiDaysKept1764000000003 implements MigrationInterface {
  name = 'KpiDaysKept1764000000003';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE kpi_day (
        id bigserial PRIMARY KEY,
        estate_id uuid NOT NULL REFERENCES estate(id),
        day date NOT NULL,
        department text NOT NULL,
        assignee_id uuid,
        counts jsonb NOT NULL,
        seconds bytea NOT NULL,
        tickets jsonb NOT NULL
      )`);
    await db.query(`CREATE UNIQUE INDEX kpi_day_group ON kpi_day (estate_id, day, department, coalesce(assignee_id, '00000000-0000-0000-0000-000000000000'::uuid))`);
    await db.query(`CREATE TABLE kpi_day_kept (estate_id uuid NOT NULL REFERENCES estate(id), day date NOT NULL, kept_at timestamptz NOT NULL, PRIMARY KEY (estate_id, day))`);
    await db.query(`CREATE TABLE kpi_day_stale (id bigserial PRIMARY KEY, estate_id uuid NOT NULL, day date NOT NULL, marked_at timestamptz NOT NULL DEFAULT now())`);
    await db.query(`CREATE INDEX kpi_day_stale_day ON kpi_day_stale (estate_id, day)`);

    // A ticket's life, receipt to close (open: unbounded), for "the tickets of a day": a day a
    // year back is a few thousand tickets, not every ticket closed since.
    await db.query(`
      CREATE FUNCTION ticket_life(received timestamptz, closed timestamptz) RETURNS tstzrange
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$ SELECT tstzrange(received, CASE WHEN closed IS NULL THEN NULL ELSE greatest(closed, received) END, '[]') $$`);
    await db.query(`CREATE INDEX ticket_life_idx ON ticket USING gist (ticket_life(received_at, closed_at)) WHERE status <> 'cancelled'`);

    // Marks the kept days (before today, the estate's) that the given instants fall on.
    await db.query(`
      CREATE FUNCTION kpi_mark(for_estate uuid, instants timestamptz[]) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        zone text;
        changed date;
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM unnest(instants) AS i WHERE i < now()) THEN RETURN; END IF;
        SELECT e.timezone INTO zone FROM estate e WHERE e.id = for_estate;
        IF zone IS NULL THEN RETURN; END IF;
        FOR changed IN
          SELECT DISTINCT (i AT TIME ZONE zone)::date FROM unnest(instants) AS i
           WHERE i IS NOT NULL AND (i AT TIME ZONE zone)::date < (now() AT TIME ZONE zone)::date
        LOOP
          PERFORM pg_advisory_xact_lock_shared(hashtext(for_estate::text), changed - date '2000-01-01');
          INSERT INTO kpi_day_stale (estate_id, day)
          SELECT for_estate, changed WHERE EXISTS (SELECT 1 FROM kpi_day_kept k WHERE k.estate_id = for_estate AND k.day = changed);
        END LOOP;
      END $$`);

    // A ticket: the days of the milestones that changed; all of its days when what groups or
    // filters it changed (department, assignee, kind, cancelled, receipt, the owner to call).
    await db.query(`
      CREATE FUNCTION ticket_kpi_days() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        instants timestamptz[] := '{}';
      BEGIN
        IF TG_OP = 'INSERT' THEN
          PERFORM kpi_mark(NEW.estate_id, ARRAY[NEW.received_at, NEW.first_dispatched_at, NEW.first_completed_at, NEW.closed_at, NEW.first_callback_at]);
        ELSIF TG_OP = 'DELETE' OR OLD.estate_id <> NEW.estate_id OR OLD.kind <> NEW.kind OR OLD.department <> NEW.department
           OR OLD.assignee_id IS DISTINCT FROM NEW.assignee_id OR (OLD.status = 'cancelled') <> (NEW.status = 'cancelled')
           OR OLD.received_at <> NEW.received_at OR OLD.intake_started_at IS DISTINCT FROM NEW.intake_started_at
           OR (OLD.reporter_phone IS NULL) <> (NEW.reporter_phone IS NULL) OR OLD.unit_id IS DISTINCT FROM NEW.unit_id THEN
          instants := ARRAY[OLD.received_at, OLD.first_dispatched_at, OLD.first_completed_at, OLD.closed_at, OLD.first_callback_at]
                      || ARRAY(SELECT c.due_at FROM ticket_clock c WHERE c.ticket_id = OLD.id);
          PERFORM kpi_mark(OLD.estate_id, instants);
          IF TG_OP = 'UPDATE' THEN
            PERFORM kpi_mark(NEW.estate_id, instants || ARRAY[NEW.received_at, NEW.first_dispatched_at, NEW.first_completed_at, NEW.closed_at, NEW.first_callback_at]);
          END IF;
        ELSE
          IF OLD.first_dispatched_at IS DISTINCT FROM NEW.first_dispatched_at THEN
            instants := instants || ARRAY[OLD.first_dispatched_at, NEW.first_dispatched_at];
          END IF;
          IF OLD.first_completed_at IS DISTINCT FROM NEW.first_completed_at THEN
            instants := instants || ARRAY[OLD.first_completed_at, NEW.first_completed_at];
          END IF;
          IF OLD.closed_at IS DISTINCT FROM NEW.closed_at OR OLD.reopen_count <> NEW.reopen_count THEN
            instants := instants || ARRAY[OLD.closed_at, NEW.closed_at];
          END IF;
          -- A callback counts on its own day and on the completion's (回访率).
          IF OLD.first_callback_at IS DISTINCT FROM NEW.first_callback_at OR OLD.callback_reached IS DISTINCT FROM NEW.callback_reached
             OR OLD.callback_satisfaction IS DISTINCT FROM NEW.callback_satisfaction THEN
            instants := instants || ARRAY[OLD.first_callback_at, NEW.first_callback_at, NEW.first_completed_at];
          END IF;
          IF cardinality(instants) > 0 THEN PERFORM kpi_mark(NEW.estate_id, instants); END IF;
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`CREATE TRIGGER ticket_kpi_days AFTER INSERT OR UPDATE OR DELETE ON ticket FOR EACH ROW EXECUTE FUNCTION ticket_kpi_days()`);

    // A clock round: its due day (on time or not, counted there) and, when it fell due before
    // the work was done, the completion's day (报修处理及时率). The scheduler's own updates
    // (warnings, next fire) change none of it.
    await db.query(`
      CREATE FUNCTION ticket_clock_kpi_days() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        owner record;
      BEGIN
        IF TG_OP = 'UPDATE' AND OLD.due_at = NEW.due_at AND OLD.met_at IS NOT DISTINCT FROM NEW.met_at AND OLD.clock = NEW.clock
           AND (OLD.cancelled_at IS NULL) = (NEW.cancelled_at IS NULL) AND OLD.ticket_id = NEW.ticket_id THEN
          RETURN NULL;
        END IF;
        IF coalesce(OLD.due_at, 'infinity') >= now() AND coalesce(NEW.due_at, 'infinity') >= now() THEN RETURN NULL; END IF;
        SELECT t.estate_id, t.first_completed_at INTO owner FROM ticket t WHERE t.id = coalesce(NEW.ticket_id, OLD.ticket_id);
        IF owner.estate_id IS NULL THEN RETURN NULL; END IF;
        PERFORM kpi_mark(owner.estate_id, ARRAY[OLD.due_at, NEW.due_at,
          CASE WHEN least(OLD.due_at, NEW.due_at) <= owner.first_completed_at THEN owner.first_completed_at END]);
        RETURN NULL;
      END $$`);
    await db.query(`CREATE TRIGGER ticket_clock_kpi_days AFTER INSERT OR UPDATE OR DELETE ON ticket_clock FOR EACH ROW EXECUTE FUNCTION ticket_clock_kpi_days()`);

    // An alarm's pickup counts on the day it was received.
    await db.query(`
      CREATE FUNCTION alarm_kpi_days() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        owner record;
      BEGIN
        IF TG_OP = 'UPDATE' AND OLD.acknowledged_at IS NOT DISTINCT FROM NEW.acknowledged_at THEN RETURN NULL; END IF;
        SELECT t.estate_id, t.received_at INTO owner FROM ticket t WHERE t.id = NEW.ticket_id;
        IF owner.estate_id IS NOT NULL THEN PERFORM kpi_mark(owner.estate_id, ARRAY[owner.received_at]); END IF;
        RETURN NULL;
      END $$`);
    await db.query(`CREATE TRIGGER alarm_kpi_days AFTER INSERT OR UPDATE ON alarm FOR EACH ROW EXECUTE FUNCTION alarm_kpi_days()`);

    // A unit's owner gaining or losing a phone: whether its tickets had someone to call back (回访率).
    await db.query(`
      CREATE FUNCTION unit_kpi_days() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (OLD.owner_phone IS NULL) <> (NEW.owner_phone IS NULL) THEN
          PERFORM kpi_mark(NEW.estate_id, ARRAY(SELECT t.first_completed_at FROM ticket t WHERE t.unit_id = NEW.id AND t.reporter_phone IS NULL));
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`CREATE TRIGGER unit_kpi_days AFTER UPDATE OF owner_phone ON unit FOR EACH ROW EXECUTE FUNCTION unit_kpi_days()`);

    // Tickets emptied (TRUNCATE fires no row trigger), or an estate's days moved to another
    // time zone: nothing kept is right any more.
    await db.query(`
      CREATE FUNCTION kpi_days_forget() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM kpi_day_stale;
        DELETE FROM kpi_day_kept;
        DELETE FROM kpi_day;
        RETURN NULL;
      END $$`);
    await db.query(`CREATE TRIGGER ticket_kpi_days_forget AFTER TRUNCATE ON ticket FOR EACH STATEMENT EXECUTE FUNCTION kpi_days_forget()`);
    await db.query(`CREATE TRIGGER estate_kpi_days_forget AFTER UPDATE OF timezone ON estate FOR EACH STATEMENT EXECUTE FUNCTION kpi_days_forget()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TRIGGER estate_kpi_days_forget ON estate');
    await db.query('DROP TRIGGER ticket_kpi_days_forget ON ticket');
    await db.query('DROP TRIGGER unit_kpi_days ON unit');
    await db.query('DROP TRIGGER alarm_kpi_days ON alarm');
    await db.query('DROP TRIGGER ticket_clock_kpi_days ON ticket_clock');
    await db.query('DROP TRIGGER ticket_kpi_days ON ticket');
    await db.query('DROP FUNCTION kpi_days_forget, unit_kpi_days, alarm_kpi_days, ticket_clock_kpi_days, ticket_kpi_days, kpi_mark');
    await db.query('DROP INDEX ticket_life_idx');
    await db.query('DROP FUNCTION ticket_life');
    await db.query('DROP TABLE kpi_day_stale, kpi_day_kept, kpi_day');
  }
}
