import { ConflictException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DEFAULT_CALENDAR, DEFAULT_WARRANTY_YEARS, type EstateRules, parseUnitCode } from '@dispatch/domain';
import { DataSource, type EntityManager } from 'typeorm';
import { invalidField } from '../common/errors';
import { EstateEntity, PublicAreaEntity, UnitEntity } from './estate.entity';

export type ResolvedLocation =
  | { kind: 'unit'; unit: UnitEntity; code: string; label: string }
  | { kind: 'area'; area: PublicAreaEntity; code: string; label: string };

@Injectable()
export class EstateService {
  private estate?: EstateEntity;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The estate this service centre runs. One per deployment for now. */
  async current(): Promise<EstateEntity> {
    if (this.estate) return this.estate;
    const [estate] = await this.dataSource.getRepository(EstateEntity).find({ order: { createdAt: 'ASC' }, take: 1 });
    if (!estate) throw new ConflictException('No estate is set up yet: seed one (SEED_DEMO=1) or create it first');
    this.estate = estate;
    return estate;
  }

  /** The estate's calendar and warranty years as they are now (read fresh: an admin may have changed them on another process). */
  async rules(db: EntityManager = this.dataSource.manager, lock = false): Promise<{ estate: EstateEntity; rules: EstateRules }> {
    const { id } = await this.current();
    const estate = await db.findOneOrFail(EstateEntity, { where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    return { estate, rules: rulesOf(estate) };
  }

  /** Checks a ticket's location against the estate: a known unit, or a known public area. */
  async resolveLocation(estateId: string, location: { unit?: string; area?: string }): Promise<ResolvedLocation> {
    const hasUnit = location.unit !== undefined;
    const hasArea = location.area !== undefined;
    if (hasUnit === hasArea) throw invalidField('location', 'give exactly one of unit or area');
    if (hasUnit) {
      const parsed = parseUnitCode(location.unit ?? '');
      if (!parsed.ok) throw invalidField('location.unit', parsed.reason);
      const unit = await this.dataSource
        .getRepository(UnitEntity)
        .findOne({ where: { estateId, code: parsed.unit.code } });
      if (!unit) throw invalidField('location.unit', `no unit ${parsed.unit.code} in this estate`);
      return { kind: 'unit', unit, code: unit.code, label: unit.code };
    }
    const code = (location.area ?? '').trim();
    const area = await this.dataSource.getRepository(PublicAreaEntity).findOne({ where: { estateId, code } });
    if (!area) throw invalidField('location.area', `no public area ${JSON.stringify(code)} in this estate`);
    return { kind: 'area', area, code: area.code, label: area.nameZh };
  }
}

export function rulesOf(estate: EstateEntity): EstateRules {
  return {
    timezone: estate.timezone,
    calendar: { ...(estate.calendar ?? DEFAULT_CALENDAR), timezone: estate.timezone },
    warrantyYears: estate.warrantyYears ?? { ...DEFAULT_WARRANTY_YEARS },
  };
}
