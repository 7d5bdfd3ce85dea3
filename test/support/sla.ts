import type { SlaPolicy } from '@dispatch/domain';
import { expect } from 'vitest';
import type { Client } from './api';

/**
 * Shortens a clock's policy for a test (admin API) and returns a function that restores it,
 * through the same admin or another (when the first api process is gone by then).
 */
export async function shortenPolicy(
  admin: Client,
  match: Partial<Pick<SlaPolicy, 'clock' | 'kind' | 'department' | 'priority'>>,
  change: Partial<Pick<SlaPolicy, 'durationSeconds' | 'warningShare' | 'escalationSeconds' | 'businessHours'>>,
): Promise<(through?: Client) => Promise<void>> {
  const policies = (await admin.get('/api/sla/policies')).body as SlaPolicy[];
  // Keys not given are matched as "any" (null): { clock: 'contact' } is the general row, not the urgent one.
  const keys = { kind: null, department: null, inUnit: null, inWarranty: null, priority: null, ...match };
  const policy = policies.find((p) => Object.entries(keys).every(([key, value]) => p[key as keyof SlaPolicy] === value));
  if (!policy) throw new Error(`no policy ${JSON.stringify(match)}`);
  const patched = await patch(admin, policy.id, change);
  expect(patched.status, JSON.stringify(patched.body)).toBe(200);
  const { durationSeconds, warningShare, escalationSeconds, businessHours } = policy;
  return async (through = admin) => {
    const restored = await patch(through, policy.id, { durationSeconds, warningShare, escalationSeconds, businessHours });
    expect(restored.status).toBe(200);
  };
}

function patch(admin: Client, id: string, body: Record<string, unknown>) {
  return admin.patch(`/api/sla/policies/${id}`).send(body);
}
