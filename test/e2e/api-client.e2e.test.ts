import { ApiError, type ApiClient, createApiClient } from '@dispatch/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type RunningApi, resetTickets, startApi } from '../support/api';

/** The typed client the console uses, against the real api. */
let api: RunningApi;
let desk: ApiClient;

const clientFor = (base: string, token: string): ApiClient =>
  createApiClient((path, init = {}) => fetch(`${base}${path}`, { ...init, headers: { ...init.headers, authorization: `Bearer ${token}` } }));

beforeAll(async () => {
  api = await startApi();
  await resetTickets(api.db);
  desk = clientFor(api.url, await login(api.url, 'dispatcher'));
});
afterAll(async () => {
  await api?.close();
});

describe('createApiClient', () => {
  it('creates, lists, acts on and reads a ticket with its timeline', async () => {
    const created = await desk.tickets.create({
      kind: 'repair',
      channel: 'phone',
      category: 'lights',
      description: '客厅灯不亮',
      location: { unit: '2-2-201' },
      repair: { inUnit: true, inWarranty: false, paid: true },
    });
    expect(created).toMatchObject({ status: 'received', kind: 'repair' });
    const page = await desk.tickets.list({ status: 'received', department: 'engineering' });
    expect(page.items.map((ticket) => ticket.id)).toContain(created.id);
    const [technician] = (await desk.staff.list('engineering')).filter((person) => person.name === '张伟');
    const dispatched = await desk.tickets.act(created.id, { action: 'dispatch', version: created.version, assigneeId: technician.id });
    expect(dispatched).toMatchObject({ status: 'dispatched', assignee: { id: technician.id } });
    const detail = await desk.tickets.get(created.id);
    expect(detail.timeline.map((event) => event.type)).toEqual(expect.arrayContaining(['ticket.created', 'ticket.dispatch']));
    const units = await desk.estate.units('2-2-2');
    expect(units.map((unit) => unit.code)).toEqual(['2-2-201', '2-2-202']);
  });

  it('throws ApiError with the refused field, and with the current ticket on a conflict', async () => {
    const error = await desk.tickets
      .create({ kind: 'repair', channel: 'phone', category: 'lights', description: '', location: { unit: '2-2-201' } })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(400);
    expect((error as ApiError).body.details?.map((detail) => detail.field)).toContain('description');

    const created = await desk.tickets.create({ kind: 'inquiry', channel: 'phone', category: 'other', description: '物业费怎么交', location: { unit: '2-2-202' } });
    const stale = await desk.tickets.act(created.id, { action: 'cancel', version: created.version + 5, reason: 'x' }).catch((caught: unknown) => caught);
    expect((stale as ApiError).status).toBe(409);
    expect((stale as ApiError).body.current?.id).toBe(created.id);
  });

  it('says offline (status 0) when the request never reached a server', async () => {
    const nowhere = clientFor('http://127.0.0.1:9', 'token');
    const error = await nowhere.tickets.list().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).offline).toBe(true);
  });
});
