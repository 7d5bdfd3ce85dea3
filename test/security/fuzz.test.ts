import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, type RunningApi, startApi } from '../support/api';
import { type Operation, readOperations, type Schema } from '../support/openapi';

/**
 * Property-based fuzzing over the OpenAPI document: for every route, bodies and query
 * strings are generated from its schemas (mostly well-formed, with hostile values mixed into
 * every leaf: NUL characters, numbers with exponents, integers past 2^53, huge and empty
 * strings, wrong types), sent with a caller the route allows. Whatever the input, the answer
 * is never a 5xx. Seeded, so a failure reproduces; fast-check prints the shrunk body.
 */

const SEED = 20_261_123;
const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS ?? 100);

const hostileString = fc.oneof(
  fc.constantFrom('a\u0000b', '\u0000'),
  fc.constantFrom('', ' ', 'x'.repeat(5_000), "' OR 1=1 --", '𠀀🔥\u202e', '-1', '1e308', '9223372036854775808', '0x10'),
);
const hostileNumber = fc.constantFrom(1e-7, 5e-324, 2 ** 63, 1e308, -1e308, -0, Number.MAX_SAFE_INTEGER + 2, 0.1 + 0.2, -1);
const anyJson = fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), hostileString, fc.constant([]), fc.constant({}));

let api: RunningApi;
let operations: Operation[];
let components: Record<string, Schema>;
const ids: Record<string, string> = {};
const statuses = new Map<number, number>();

function resolve(schema: Schema | undefined): Schema {
  if (!schema) return {};
  if (schema.$ref) return components[schema.$ref.split('/').pop() ?? ''] ?? {};
  if (schema.allOf?.length === 1) return resolve(schema.allOf[0]);
  return schema;
}

/** Well-formed values for a schema, with a hostile value in one leaf out of three. */
function arbitraryOf(raw: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(raw);
  const hostile = schema.type === 'number' || schema.type === 'integer' ? fc.oneof(hostileNumber, anyJson) : fc.oneof(hostileString, anyJson);
  let wellFormed: fc.Arbitrary<unknown>;
  if (schema.enum) wellFormed = fc.constantFrom(...schema.enum);
  else if (schema.oneOf) wellFormed = fc.oneof(...schema.oneOf.map((option) => arbitraryOf(option, depth + 1)));
  else if (schema.type === 'integer') wellFormed = fc.integer({ min: schema.minimum ?? -1_000, max: schema.maximum ?? 1_000_000 });
  else if (schema.type === 'number') wellFormed = fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
  else if (schema.type === 'boolean') wellFormed = fc.boolean();
  else if (schema.type === 'array') wellFormed = fc.array(arbitraryOf(schema.items, depth + 1), { maxLength: 3 });
  else if (schema.properties && depth < 4) {
    const shape = Object.fromEntries(Object.entries(schema.properties).map(([name, child]) => [name, arbitraryOf(child, depth + 1)]));
    wellFormed = fc.record(shape, { requiredKeys: schema.required?.filter((name) => name in shape) ?? [] });
  } else if (schema.format === 'date-time') wellFormed = fc.date({ noInvalidDate: true }).map((date) => date.toISOString());
  else if (schema.format === 'uuid') wellFormed = fc.uuid();
  // Any code point too, NUL and lone surrogates included.
  else wellFormed = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ maxLength: 8, unit: 'binary' }));
  return fc.oneof({ arbitrary: wellFormed, weight: 2 }, { arbitrary: hostile, weight: 1 });
}

function pathOf(op: Operation): string {
  return op.path.replace(/\{id\}/, () => {
    if (op.path.startsWith('/api/staff')) return ids.staff;
    if (op.path.startsWith('/api/sla/policies')) return ids.policy;
    if (op.path.startsWith('/api/devices')) return 'leak-b1';
    if (op.path.startsWith('/api/alarms')) return ids.alarm;
    return ids.ticket;
  });
}

async function signIn(username: string): Promise<string> {
  const res = await request(api.url).post('/api/auth/login').send({ username, password: DEMO_PASSWORD });
  return res.body.accessToken as string;
}

beforeAll(async () => {
  api = await startApi();
  ({ operations, components } = await readOperations(api.url));
  const desk = await signIn('dispatcher');
  const ticket = await request(api.url)
    .post('/api/tickets')
    .set('Authorization', `Bearer ${desk}`)
    .send({ kind: 'repair', channel: 'phone', category: 'lights', description: '廊灯不亮', location: { unit: '2-1-101' }, repair: { inUnit: true, inWarranty: true, paid: false } });
  ids.ticket = ticket.body.id;
  const alarm = await request(api.url).post('/api/alarms').set('X-Device-Key', 'demo-device-key').send({ deviceId: 'ir-3-201', eventId: `fuzz-${Date.now()}`, kind: 'intrusion' });
  ids.alarm = alarm.body.id ?? alarm.body.alarm?.id ?? ids.ticket;
  [{ id: ids.staff }] = await api.db.query<Array<{ id: string }>>(`SELECT id FROM staff WHERE username = 'gardener'`);
  [{ id: ids.policy }] = await api.db.query<Array<{ id: string }>>(`SELECT id FROM sla_policy ORDER BY id LIMIT 1`);
});

afterAll(async () => {
  const byStatus = [...statuses.entries()].sort(([a], [b]) => a - b).map(([status, count]) => `${status}: ${count}`).join(', ');
  console.log(`\nfuzzer (seed ${SEED}, ${RUNS_PER_ROUTE} runs per route): by status ${byStatus}`);
  await api?.close();
});

describe('property-based fuzzing over the OpenAPI document', () => {
  it('no generated body or query string is ever answered with a 5xx', async () => {
    expect(operations.length).toBeGreaterThanOrEqual(20);
    for (const op of operations.filter((o) => o.path !== '/api/auth/logout')) {
      // A fresh sign-in per route, in a role the route allows: refresh and staff edits may end sessions.
      const token = op.public ? undefined : await signIn(op.roles && !op.roles.includes('admin') ? op.roles[0] : 'admin');
      const queryValue = fc.oneof(fc.string({ maxLength: 20 }), hostileString, fc.integer().map(String), hostileNumber.map(String));
      const queryArb = fc.record(Object.fromEntries(op.query.map((name) => [name, queryValue])), { requiredKeys: [] });
      const bodyArb = op.body ? arbitraryOf(op.body) : fc.constant(undefined);
      await fc.assert(
        fc.asyncProperty(bodyArb, queryArb, async (body, query) => {
          let test = request(api.url)[op.method](pathOf(op)).query(query as Record<string, string>);
          if (token) test = test.set('Authorization', `Bearer ${token}`);
          if (op.path === '/api/alarms') test = test.set('X-Device-Key', 'demo-device-key');
          // Raw JSON, so top-level numbers, strings and null are sent as they are.
          const res = await (body === undefined || op.method === 'get' ? test : test.set('content-type', 'application/json').send(JSON.stringify(body)));
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          expect(res.status, `${op.method.toUpperCase()} ${op.path} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 200)}`).toBeLessThan(500);
        }),
        { seed: SEED, numRuns: RUNS_PER_ROUTE, endOnFailure: true },
      );
    }
  });
});
