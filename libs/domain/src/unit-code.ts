/** An owner's unit as the front desk writes it: `4-2-301` = building 4, entrance 2, room 301. */
export interface UnitCode {
  building: number;
  entrance: number;
  room: string;
  floor: number;
  code: string;
}

const UNIT_CODE = /^([1-9]\d{0,2})-([1-9]\d?)-([1-9]\d{0,2}\d{2})$/;

export type UnitCodeResult = { ok: true; unit: UnitCode } | { ok: false; reason: string };

export function parseUnitCode(input: string): UnitCodeResult {
  const trimmed = input.trim();
  const match = UNIT_CODE.exec(trimmed);
  if (!match) {
    return { ok: false, reason: 'must look like building-entrance-room, e.g. 4-2-301' };
  }
  const [, building, entrance, room] = match;
  return {
    ok: true,
    unit: {
      building: Number(building),
      entrance: Number(entrance),
      room,
      floor: Math.floor(Number(room) / 100),
      code: `${Number(building)}-${Number(entrance)}-${room}`,
    },
  };
}
