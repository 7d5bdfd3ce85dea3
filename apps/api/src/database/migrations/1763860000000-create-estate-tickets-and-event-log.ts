import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateEstateTicketsAndEventLog1763860000000 implements MigrationInterface {
  name = 'CreateEstateTicketsAndEventLog1763860000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE estate (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL UNIQUE,
        name text NOT NULL,
        timezone text NOT NULL DEFAULT 'Asia/Shanghai',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE unit (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        estate_id uuid NOT NULL REFERENCES estate(id),
        code text NOT NULL,
        building int NOT NULL,
        entrance int NOT NULL,
        floor int NOT NULL,
        room text NOT NULL,
        owner_name text,
        owner_phone text,
        key_owner boolean NOT NULL DEFAULT false,
        UNIQUE (estate_id, code)
      )`);
    await db.query(`
      CREATE TABLE public_area (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        estate_id uuid NOT NULL REFERENCES estate(id),
        code text NOT NULL,
        name_zh text NOT NULL,
        name_en text NOT NULL,
        UNIQUE (estate_id, code)
      )`);
    await db.query(`
      CREATE TABLE staff (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        estate_id uuid NOT NULL REFERENCES estate(id),
        username text NOT NULL UNIQUE,
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('dispatcher', 'field', 'supervisor', 'manager', 'admin')),
        department text CHECK (department IN ('customer_service', 'engineering', 'security', 'cleaning', 'landscaping')),
        password_hash text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        on_duty boolean NOT NULL DEFAULT true
      )`);
    await db.query(`CREATE SEQUENCE ticket_number_seq`);
    await db.query(`
      CREATE TABLE ticket (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number text NOT NULL UNIQUE,
        estate_id uuid NOT NULL REFERENCES estate(id),
        kind text NOT NULL,
        category text NOT NULL,
        channel text NOT NULL,
        priority text NOT NULL,
        status text NOT NULL,
        department text NOT NULL,
        unit_id uuid REFERENCES unit(id),
        area_id uuid REFERENCES public_area(id),
        location_code text NOT NULL,
        location_label text NOT NULL,
        description text NOT NULL,
        reporter_name text,
        reporter_phone text,
        repair jsonb,
        idempotency_key text UNIQUE,
        version int NOT NULL DEFAULT 1,
        received_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT ticket_one_location CHECK ((unit_id IS NULL) <> (area_id IS NULL))
      )`);
    await db.query(`CREATE INDEX ticket_status_received_idx ON ticket (status, received_at)`);
    await db.query(`
      CREATE TABLE ticket_clock (
        ticket_id uuid NOT NULL REFERENCES ticket(id),
        clock text NOT NULL,
        started_at timestamptz NOT NULL,
        due_at timestamptz NOT NULL,
        warned_at timestamptz,
        breached_at timestamptz,
        met_at timestamptz,
        cancelled_at timestamptz,
        PRIMARY KEY (ticket_id, clock)
      )`);
    // The SLA engine looks for the next clock to fire among the running ones only.
    await db.query(`
      CREATE INDEX ticket_clock_running_due_idx ON ticket_clock (due_at)
      WHERE met_at IS NULL AND breached_at IS NULL AND cancelled_at IS NULL`);
    await db.query(`
      CREATE TABLE event_log (
        seq bigserial PRIMARY KEY,
        type text NOT NULL,
        ticket_id uuid,
        alarm_id uuid,
        actor text,
        at timestamptz NOT NULL DEFAULT now(),
        data jsonb NOT NULL
      )`);
    await db.query(`CREATE INDEX event_log_ticket_idx ON event_log (ticket_id, seq) WHERE ticket_id IS NOT NULL`);
    await db.query(`
      CREATE FUNCTION event_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'event_log is append-only: % refused', TG_OP;
      END $$`);
    await db.query(`
      CREATE TRIGGER event_log_append_only BEFORE UPDATE OR DELETE ON event_log
      FOR EACH ROW EXECUTE FUNCTION event_log_refuse_change()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE event_log`);
    await db.query(`DROP FUNCTION event_log_refuse_change`);
    await db.query(`DROP TABLE ticket_clock`);
    await db.query(`DROP TABLE ticket`);
    await db.query(`DROP SEQUENCE ticket_number_seq`);
    await db.query(`DROP TABLE staff`);
    await db.query(`DROP TABLE public_area`);
    await db.query(`DROP TABLE unit`);
    await db.query(`DROP TABLE estate`);
  }
}
