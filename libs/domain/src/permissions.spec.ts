import { describe, expect, it } from 'vitest';
import { CAPABILITIES, hasPermission, PERMISSIONS } from './permissions';
import { ROLES } from './roles';

describe('the permissions table', () => {
  it('names roles for every capability, and only known roles', () => {
    expect(Object.keys(PERMISSIONS).sort()).toEqual([...CAPABILITIES].sort());
    for (const roles of Object.values(PERMISSIONS)) for (const role of roles) expect(ROLES).toContain(role);
  });

  // Written by hand from DOMAIN.md: the desk logs and looks up; admins manage; managers read access records.
  it.each([
    ['ticket.create', 'dispatcher', true],
    ['ticket.create', 'field', false],
    ['ticket.reveal_reporter', 'supervisor', true],
    // Field staff: only the worker assigned to the open ticket (checked on the ticket, 拨打业主).
    ['ticket.reveal_reporter', 'field', true],
    ['ticket.search', 'field', false],
    ['staff.manage', 'admin', true],
    ['staff.manage', 'manager', false],
    ['sla.policy.edit', 'dispatcher', false],
    ['sla.board', 'supervisor', true],
    ['device.rotate_key', 'manager', false],
    ['access.read', 'manager', true],
    ['access.read', 'dispatcher', false],
  ] as const)('%s for a %s: %s', (capability, role, allowed) => {
    expect(hasPermission(role, capability)).toBe(allowed);
  });
});
