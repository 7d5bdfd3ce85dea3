import type { TicketView } from '@dispatch/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, client, login, type RunningApi, resetTickets, startApi } from '../support/api';
import { expectFieldError, repairFrom } from '../support/fixtures';
import { createAs, stepAs } from '../support/loop';

/** Every ticket findable, open or closed, by what a caller on the phone gives. */
describe('searching tickets', () => {
  let api: RunningApi;
  let desk: Client;
  let closed: TicketView;
  let open: TicketView;

  beforeAll(async () => {
    api = await startApi();
    await resetTickets(api.db);
    desk = client(api.url, await login(api.url, 'dispatcher'));
    const tech = client(api.url, await login(api.url, 'technician'));
    let ticket = await createAs(desk, repairFrom('6-2-602', { category: 'lights', description: '阳台灯闪烁', reporter: { name: '钱先生', phone: '139-0077-1234' } }));
    ticket = await stepAs(desk, ticket, 'dispatch');
    ticket = await stepAs(tech, ticket, 'accept');
    ticket = await stepAs(tech, ticket, 'arrive');
    ticket = await stepAs(tech, ticket, 'complete', { note: '换了灯泡' });
    ticket = await stepAs(desk, ticket, 'callback', { result: '满意', satisfaction: 'satisfied' });
    closed = await stepAs(desk, ticket, 'close');
    open = await createAs(desk, repairFrom('6-2-601', { category: 'door_lock', description: '入户门锁50%坏了' }));
  });
  afterAll(async () => {
    await api?.close();
  });

  const search = async (q: string, by: Client = desk) => {
    const res = await by.post('/api/tickets/search').send({ q });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return (res.body.items as TicketView[]).map((ticket) => ticket.id);
  };

  it('finds a closed ticket by its number, or the tail of it', async () => {
    expect(closed.status).toBe('closed');
    expect(await search(closed.number)).toEqual([closed.id]);
    expect(await search(closed.number.slice(-4))).toContain(closed.id);
  });

  it('finds by unit code or its start, newest first', async () => {
    expect(await search('6-2-602')).toEqual([closed.id]);
    expect(await search('6-2-60')).toEqual([open.id, closed.id]);
  });

  it('finds by the caller\'s phone exactly, however it is written, and by the owner\'s phone on file', async () => {
    expect(await search('13900771234')).toEqual([closed.id]);
    expect(await search('139 0077 1234')).toEqual([closed.id]);
    expect(await search('1390077123')).toEqual([]);
    const [owner] = await api.db.query<Array<{ owner_phone: string }>>(`SELECT owner_phone FROM unit WHERE code = '6-2-601'`);
    expect(await search(owner.owner_phone)).toEqual([open.id]);
  });

  it('finds by words of the description; wildcards are plain characters', async () => {
    expect(await search('阳台灯')).toEqual([closed.id]);
    expect(await search('50%')).toEqual([open.id]);
    expect(await search('%')).toEqual([open.id]);
    expect(await search('_')).toEqual([]);
  });

  it('stays in the caller\'s scope and is for the desk', async () => {
    const securitySupervisor = client(api.url, await login(api.url, 'supervisor'));
    expect(await search('6-2-60', securitySupervisor)).toEqual([]);
    const engineering = client(api.url, await login(api.url, 'eng_supervisor'));
    expect(await search('6-2-60', engineering)).toEqual([open.id, closed.id]);
    expect((await client(api.url, await login(api.url, 'technician')).post('/api/tickets/search').send({ q: '6-2' })).status).toBe(403);
    expectFieldError(await desk.post('/api/tickets/search').send({ q: '   ' }), 400, 'q');
    expectFieldError(await desk.post('/api/tickets/search').send({ q: 'x'.repeat(101) }), 400, 'q');
  });
});
