import type { BusinessCalendar } from '@dispatch/domain';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { DEMO_ESTATE_CODE, demoHandoverDate } from '../../estate/demo-seed';
import { withRecentOfficialYears } from '../../estate/official-days';

/**
 * Warranty is computed, not guessed: each unit's handover date (交房日期) and the estate's
 * warranty years per category (null: the national defaults). The calendar learns make-up
 * working days (调休) and takes the official schedule of last year onward.
 */
export class WarrantyAndOfficialCalendar1763940000001 implements MigrationInterface {
  name = 'WarrantyAndOfficialCalendar1763940000001';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE unit ADD COLUMN handover_date date`);
    await db.query(`ALTER TABLE estate ADD COLUMN warranty_years jsonb`);
    // The demo estate's units get the demo's dates; a real estate's are entered from its records.
    for (const building of [1, 2, 3, 4, 5, 6]) {
      await db.query(
        `UPDATE unit SET handover_date = $1 FROM estate WHERE unit.estate_id = estate.id AND estate.code = $2 AND unit.building = $3`,
        [demoHandoverDate(building), DEMO_ESTATE_CODE, building],
      );
    }
    const estates: Array<{ id: string; calendar: BusinessCalendar | null }> = await db.query(`SELECT id, calendar FROM estate WHERE calendar IS NOT NULL`);
    for (const estate of estates) {
      await db.query(`UPDATE estate SET calendar = $2 WHERE id = $1`, [estate.id, JSON.stringify(withRecentOfficialYears(estate.calendar as BusinessCalendar))]);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE estate DROP COLUMN warranty_years`);
    await db.query(`ALTER TABLE unit DROP COLUMN handover_date`);
  }
}
