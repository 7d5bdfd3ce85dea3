import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventLogService } from '../../apps/api/src/events/event-log.service';
import { type RunningApi, startApi } from '../support/api';

/**
 * The log's append, on the real PostgreSQL: rows are written at their transaction's commit,
 * so a transaction still working does not hold up another's events, commits stay in seq
 * order, and a transaction (or a savepoint) rolled back leaves nothing in the log.
 */
describe('the event log appends at commit', () => {
  let api: RunningApi;
  let log: EventLogService;

  beforeAll(async () => {
    api = await startApi();
    log = api.app.get(EventLogService);
  });
  afterAll(async () => {
    await api?.close();
  });

  const rows = async (tag: string) =>
    api.db.query<Array<{ seq: string; tag: string }>>(`SELECT seq, data->>'tag' AS tag FROM event_log WHERE type = 'estate.rules_changed' AND data->>'tag' LIKE $1 ORDER BY seq`, [`${tag}%`]);
  const event = (tag: string) => ({ type: 'estate.rules_changed' as const, data: { tag } as never });

  it('a transaction still working does not hold up another\'s event; each gets its seq at its commit, in commit order', async () => {
    const tag = `slow-fast-${Date.now()}`;
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let appendedInSlow = false;
    const slow = api.db.transaction(async (db) => {
      const appended = await log.append(db, event(`${tag}-slow`), new Date());
      appendedInSlow = true;
      await held;
      return appended;
    });
    const deadline = Date.now() + 5_000;
    while (!appendedInSlow && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(appendedInSlow).toBe(true);

    // With the slow transaction open after its append, another commits its own event at once.
    const fast = await api.db.transaction((db) => log.append(db, event(`${tag}-fast`), new Date()));
    expect(fast.seq).toBeGreaterThan(0);
    expect((await rows(tag)).map((row) => row.tag)).toEqual([`${tag}-fast`]);

    release();
    const late = await slow;
    expect(late.seq).toBeGreaterThan(fast.seq);
    expect((await rows(tag)).map((row) => [row.tag, Number(row.seq)])).toEqual([
      [`${tag}-fast`, fast.seq],
      [`${tag}-slow`, late.seq],
    ]);
  });

  it('several events of one transaction are written in the order they were appended, with consecutive commits', async () => {
    const tag = `many-${Date.now()}`;
    const appended = await api.db.transaction(async (db) => [await log.append(db, event(`${tag}-1`), new Date()), await log.append(db, event(`${tag}-2`), new Date()), await log.append(db, event(`${tag}-3`), new Date())]);
    const seqs = appended.map((one) => one.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect((await rows(tag)).map((row) => row.tag)).toEqual([`${tag}-1`, `${tag}-2`, `${tag}-3`]);
  });

  it('a transaction rolled back, or a savepoint rolled back inside one, leaves nothing of theirs in the log', async () => {
    const tag = `rollback-${Date.now()}`;
    await expect(
      api.db.transaction(async (db) => {
        await log.append(db, event(`${tag}-gone`), new Date());
        throw new Error('the use case failed');
      }),
    ).rejects.toThrow('the use case failed');

    const runner = api.db.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await log.append(runner.manager, event(`${tag}-kept`), new Date());
      await runner.startTransaction(); // a savepoint
      await log.append(runner.manager, event(`${tag}-inner-gone`), new Date());
      await runner.rollbackTransaction();
      await runner.startTransaction();
      await log.append(runner.manager, event(`${tag}-inner-kept`), new Date());
      await runner.commitTransaction(); // the savepoint released
      await runner.commitTransaction();
    } finally {
      await runner.release();
    }
    expect((await rows(tag)).map((row) => row.tag)).toEqual([`${tag}-kept`, `${tag}-inner-kept`]);
  });

  it('outside a transaction an event is written at once', async () => {
    const tag = `plain-${Date.now()}`;
    const appended = await log.append(api.db.manager, event(tag), new Date());
    expect((await rows(tag)).map((row) => Number(row.seq))).toEqual([appended.seq]);
  });
});
