import { randomBytes } from 'node:crypto';
import { hash } from 'argon2';
import { DEFAULT_CALENDAR, type Department } from '@dispatch/domain';
import { DateTime } from 'luxon';
import type { DataSource, EntityManager } from 'typeorm';
import { AlarmAccountEntity, AlarmZoneEntity, DeviceEntity } from '../alarms/alarm.entity';
import { hashToken } from '../common/token-hash';
import { withRecentOfficialYears } from './official-days';
import { EstateEntity, PublicAreaEntity, StaffEntity, type StaffRole, UnitEntity } from './estate.entity';

export const DEMO_ESTATE_CODE = 'cuihu';
export const DEMO_PASSWORD = 'demo1234';

/** The demo accounts named in API.md, plus a few colleagues so dispatch has a choice. */
export const DEMO_STAFF: ReadonlyArray<{ username: string; name: string; role: StaffRole; department: Department | null }> = [
  { username: 'dispatcher', name: '王敏', role: 'dispatcher', department: 'customer_service' },
  { username: 'guard', name: '李强', role: 'field', department: 'security' },
  { username: 'technician', name: '张伟', role: 'field', department: 'engineering' },
  { username: 'cleaner', name: '刘芳', role: 'field', department: 'cleaning' },
  { username: 'gardener', name: '陈静', role: 'field', department: 'landscaping' },
  { username: 'supervisor', name: '赵刚', role: 'supervisor', department: 'security' },
  { username: 'manager', name: '周丽', role: 'manager', department: null },
  { username: 'admin', name: '系统管理员', role: 'admin', department: null },
  { username: 'guard2', name: '孙磊', role: 'field', department: 'security' },
  { username: 'technician2', name: '吴军', role: 'field', department: 'engineering' },
  // Every request has an owner who can act: complaints go to the customer-service supervisor
  // (客服主管); every department has a supervisor of its own.
  { username: 'cs_supervisor', name: '钱慧', role: 'supervisor', department: 'customer_service' },
  { username: 'eng_supervisor', name: '郑斌', role: 'supervisor', department: 'engineering' },
  { username: 'cleaning_supervisor', name: '冯霞', role: 'supervisor', department: 'cleaning' },
  { username: 'landscaping_supervisor', name: '蒋林', role: 'supervisor', department: 'landscaping' },
];

export const DEMO_AREAS: ReadonlyArray<{ code: string; nameZh: string; nameEn: string }> = [
  { code: 'GATE-N', nameZh: '北门岗亭', nameEn: 'North gate' },
  { code: 'GATE-S', nameZh: '南门岗亭', nameEn: 'South gate' },
  { code: 'CARPARK-B1', nameZh: '地下车库B1', nameEn: 'Car park B1' },
  { code: 'GARDEN-C', nameZh: '中心花园', nameEn: 'Central garden' },
  { code: 'CLUBHOUSE', nameZh: '会所', nameEn: 'Clubhouse' },
  { code: 'LOBBY-4-2', nameZh: '4栋2单元大堂', nameEn: 'Lobby, building 4 entrance 2' },
  { code: 'LIFT-4-2', nameZh: '4栋2单元电梯', nameEn: 'Lift, building 4 entrance 2' },
  { code: 'STAIRS-3-1', nameZh: '3栋1单元楼道灯', nameEn: 'Stair lights, building 3 entrance 1' },
  { code: 'PLAYGROUND', nameZh: '儿童游乐场', nameEn: 'Playground' },
  { code: 'REFUSE-1', nameZh: '1号垃圾站', nameEn: 'Refuse station 1' },
];

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭'];
const GIVEN = ['建国', '秀英', '志强', '丽华', '海燕', '文博', '晓东', '春梅', '国平', '玉兰', '子涵', '明轩'];

/**
 * 交房日期 of the demo estate, relative to when it is seeded so the demo never ages out:
 * phase one (buildings 1-2) handed over six years earlier, past every warranty; phase two
 * (buildings 3-6) a year earlier, within the 2-year and 5-year periods.
 */
export function demoHandoverDate(building: number, now: Date = new Date()): string {
  const yearsAgo = building <= 2 ? 6 : 1;
  return DateTime.fromJSDate(now, { zone: 'Asia/Shanghai' }).minus({ years: yearsAgo }).toFormat('yyyy-MM-dd');
}

/** Six buildings, two entrances, six floors, two flats a floor: 144 units, 4-2-301 among them. */
export function demoUnits(now: Date = new Date()): Array<Pick<UnitEntity, 'code' | 'building' | 'entrance' | 'floor' | 'room' | 'ownerName' | 'ownerPhone' | 'keyOwner' | 'handoverDate'>> {
  const units = [];
  let n = 0;
  for (let building = 1; building <= 6; building++) {
    for (let entrance = 1; entrance <= 2; entrance++) {
      for (let floor = 1; floor <= 6; floor++) {
        for (let flat = 1; flat <= 2; flat++) {
          const room = `${floor}${String(flat).padStart(2, '0')}`;
          units.push({
            code: `${building}-${entrance}-${room}`,
            building,
            entrance,
            floor,
            room,
            ownerName: SURNAMES[n % SURNAMES.length] + GIVEN[(n * 7) % GIVEN.length],
            // Deterministic, obviously fictitious numbers in the 139 0000 range.
            ownerPhone: `1390000${String(n).padStart(4, '0')}`,
            keyOwner: n % 23 === 0,
            handoverDate: demoHandoverDate(building, now),
          });
          n++;
        }
      }
    }
  }
  return units;
}

/** Demo alarm devices; the infrared detector of seed 001's story answers to `demo-device-key`. */
export const DEMO_DEVICES: ReadonlyArray<{ id: string; name: string; unit?: string; area?: string; key: string }> = [
  { id: 'ir-3-201', name: '红外探测器 3-1-201', unit: '3-1-201', key: 'demo-device-key' },
  { id: 'smoke-lobby-4-2', name: '烟感 4栋2单元大堂', area: 'LOBBY-4-2', key: 'demo-device-key-smoke' },
  { id: 'lift-4-2', name: '电梯困人报警 4栋2单元', area: 'LIFT-4-2', key: 'demo-device-key-lift' },
  { id: 'leak-b1', name: '水浸探测 地下车库B1', area: 'CARPARK-B1', key: 'demo-device-key-leak' },
];

/** Seeds the demo devices once (also into a demo estate seeded before devices existed). */
export async function seedDemoDevices(dataSource: DataSource): Promise<boolean> {
  return dataSource.transaction(async (db: EntityManager) => {
    const estate = await db.findOne(EstateEntity, { where: { code: DEMO_ESTATE_CODE } });
    if (!estate || (await db.count(DeviceEntity)) > 0) return false;
    for (const device of DEMO_DEVICES) {
      const unit = device.unit ? await db.findOneOrFail(UnitEntity, { where: { estateId: estate.id, code: device.unit } }) : null;
      const area = device.area ? await db.findOneOrFail(PublicAreaEntity, { where: { estateId: estate.id, code: device.area } }) : null;
      await db.insert(DeviceEntity, {
        id: device.id,
        estateId: estate.id,
        name: device.name,
        unitId: unit?.id ?? null,
        areaId: area?.id ?? null,
        keyHash: hashToken(device.key),
        keyRotatedAt: new Date(),
        active: true,
        // No real device stands behind the demo's: none is supervised (a silent one would raise faults).
        lastSeenAt: null,
        testIntervalSeconds: null,
        offlineSince: null,
      });
    }
    return true;
  });
}

/**
 * The demo alarm panel (API.md): account 1234 at unit 3-1-201, reporting over DC-09 without
 * encryption; its zone 015 is the infrared detector ir-3-201. Added once, also to a demo
 * estate seeded before panels existed.
 */
export async function seedDemoPanel(dataSource: DataSource): Promise<boolean> {
  return dataSource.transaction(async (db: EntityManager) => {
    const estate = await db.findOne(EstateEntity, { where: { code: DEMO_ESTATE_CODE } });
    if (!estate || (await db.findOne(AlarmAccountEntity, { where: { account: '1234' } })) || !(await db.findOne(DeviceEntity, { where: { id: 'ir-3-201' } }))) return false;
    const unit = await db.findOneOrFail(UnitEntity, { where: { estateId: estate.id, code: '3-1-201' } });
    // The panel as a device of its own; it has no HTTP key anyone knows (it speaks DC-09).
    await db.insert(DeviceEntity, { id: 'panel-1234', estateId: estate.id, name: '报警主机 1234 (3-1-201)', unitId: unit.id, areaId: null, keyHash: hashToken(randomBytes(32).toString('hex')), keyRotatedAt: new Date(), active: true, lastSeenAt: null, testIntervalSeconds: null, offlineSince: null });
    await db.insert(AlarmAccountEntity, { account: '1234', deviceId: 'panel-1234', encryptionKey: null });
    await db.insert(AlarmZoneEntity, { account: '1234', zone: '015', deviceId: 'ir-3-201' });
    return true;
  });
}

/** Demo accounts added after a demo estate was first seeded (its supervisors): the missing ones only. */
export async function seedMissingDemoStaff(dataSource: DataSource): Promise<string[]> {
  return dataSource.transaction(async (db: EntityManager) => {
    const estate = await db.findOne(EstateEntity, { where: { code: DEMO_ESTATE_CODE } });
    if (!estate) return [];
    const existing = new Set((await db.find(StaffEntity, { select: { username: true } })).map((person) => person.username));
    const missing = DEMO_STAFF.filter((person) => !existing.has(person.username));
    if (missing.length === 0) return [];
    const passwordHash = await hash(DEMO_PASSWORD);
    await db.insert(StaffEntity, missing.map((person) => ({ ...person, estateId: estate.id, passwordHash })));
    return missing.map((person) => person.username);
  });
}

/** Seeds the demo estate once; a second start finds it and does nothing. */
export async function seedDemoData(dataSource: DataSource): Promise<boolean> {
  return dataSource.transaction(async (db: EntityManager) => {
    const existing = await db.findOne(EstateEntity, { where: { code: DEMO_ESTATE_CODE } });
    if (existing) return false;
    const estate = await db.save(EstateEntity, { code: DEMO_ESTATE_CODE, name: '翠湖花园', timezone: 'Asia/Shanghai', calendar: withRecentOfficialYears(DEFAULT_CALENDAR), warrantyYears: null });
    await db.insert(UnitEntity, demoUnits().map((unit) => ({ ...unit, estateId: estate.id })));
    await db.insert(PublicAreaEntity, DEMO_AREAS.map((area) => ({ ...area, estateId: estate.id })));
    const passwordHash = await hash(DEMO_PASSWORD);
    await db.insert(StaffEntity, DEMO_STAFF.map((person) => ({ ...person, estateId: estate.id, passwordHash })));
    return true;
  });
}

/**
 * The demo archive: each unit's owner on file becomes its first resident (as the migration
 * does for an estate seeded before the archive existed), and seed 001's flat gets what the
 * desk needs that night: how to greet the owner and whom to call when he cannot be reached.
 * Added once: units that already have residents are left alone.
 */
export async function seedDemoResidents(dataSource: DataSource): Promise<number> {
  return dataSource.transaction(async (db: EntityManager) => {
    const added = await db.query<Array<{ id: string }>>(
      `WITH added AS (
         INSERT INTO resident (unit_id, role, name, phone, phone_digits, key_owner, key_owner_reason, verified_at, created_at, updated_at)
         SELECT u.id, 'owner', u.owner_name, u.owner_phone, nullif(regexp_replace(coalesce(u.owner_phone, ''), '[^0-9]', '', 'g'), ''),
                u.key_owner, CASE WHEN u.key_owner THEN '业委会委员' END, now(), now(), now()
           FROM unit u JOIN estate e ON e.id = u.estate_id
          WHERE e.code = $1 AND u.owner_name IS NOT NULL AND NOT EXISTS (SELECT 1 FROM resident r WHERE r.unit_id = u.id)
         RETURNING id, unit_id)
       SELECT added.id FROM added`,
      [DEMO_ESTATE_CODE],
    );
    await db.query(
      `UPDATE resident r SET greeting = left(r.name, 1) || '先生', emergency_contact = '物业登记紧急联系人 13900009999',
              preferred_contact_time = '工作日晚上'
         FROM unit u WHERE u.id = r.unit_id AND u.code = '3-1-201' AND r.greeting IS NULL AND r.created_at >= now() - interval '1 minute'`,
    );
    return added.length;
  });
}
