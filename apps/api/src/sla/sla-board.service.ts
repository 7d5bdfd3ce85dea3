import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Actor, ALARM_OUTCOMES, type AlarmOutcome, ESTATE_WIDE_ROLES, pickupFigures, shareOf, type SlaBoard } from '@dispatch/domain';
import { DataSource } from 'typeorm';

/** Under MIN_SAMPLE cases a rate is not given ("n too small"), as in the reports; the counts always are. */
const rate = shareOf;

/**
 * The managers' KPIs, computed from the clocks, tickets and the event log (the record is
 * the truth; nothing is counted twice in a side table). A supervisor sees their department.
 */
@Injectable()
export class SlaBoardService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async snapshot(actor: Actor, windowHours: number): Promise<SlaBoard> {
    const department = ESTATE_WIDE_ROLES.includes(actor.role) || !actor.department ? null : actor.department;
    const now = new Date();
    const since = new Date(now.getTime() - windowHours * 3_600_000);
    // Every query: $1 the department filter (null = the whole estate), $2 the window's start or now.
    const inScope = `($1::text IS NULL OR t.department = $1 OR $1 = ANY(t.also_departments))`;
    const q = <T>(sql: string, moment?: Date) => this.dataSource.query<T[]>(sql, moment ? [department, moment] : [department]);

    const [clocks, now1, response, fix, satisfaction, ages, departments, people, trend, delays, pickups, outcomes] = await Promise.all([
      q<{ clock: string; finished: string; on_time: string; late: string }>(`
        SELECT c.clock, count(*) AS finished,
               count(*) FILTER (WHERE c.breached_at IS NULL) AS on_time,
               count(*) FILTER (WHERE c.breached_at IS NOT NULL) AS late
          FROM ticket_clock c JOIN ticket t ON t.id = c.ticket_id
         WHERE ${inScope}
           AND ((c.met_at >= $2::timestamptz) OR (c.met_at IS NULL AND c.cancelled_at IS NULL AND c.breached_at >= $2::timestamptz))
         GROUP BY c.clock ORDER BY c.clock`, since),
      q<{ breached: string; escalated: string }>(`
        SELECT count(*) FILTER (WHERE c.breached_at IS NOT NULL) AS breached,
               count(*) FILTER (WHERE c.escalated_at IS NOT NULL) AS escalated
          FROM ticket_clock c JOIN ticket t ON t.id = c.ticket_id
         WHERE ${inScope} AND c.met_at IS NULL AND c.cancelled_at IS NULL`),
      q<{ average: string | null; median: string | null; count: string }>(`
        SELECT avg(extract(epoch FROM c.met_at - c.started_at)) AS average,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM c.met_at - c.started_at)) AS median,
               count(*) AS count
          FROM ticket_clock c JOIN ticket t ON t.id = c.ticket_id
         WHERE ${inScope} AND c.clock = 'dispatch' AND c.round = 1 AND c.met_at >= $2::timestamptz`, since),
      q<{ closed: string; without_reopen: string }>(`
        SELECT count(*) AS closed, count(*) FILTER (WHERE t.reopen_count = 0) AS without_reopen
          FROM ticket t WHERE ${inScope} AND t.status = 'closed' AND t.closed_at >= $2::timestamptz`, since),
      q<{ level: string; count: string }>(`
        SELECT e.data->'input'->>'satisfaction' AS level, count(*) AS count
          FROM event_log e JOIN ticket t ON t.id = e.ticket_id
         WHERE ${inScope} AND e.type = 'ticket.callback' AND e.at >= $2::timestamptz
         GROUP BY 1`, since),
      q<{ bucket: string; count: string }>(`
        SELECT CASE WHEN $2::timestamptz - t.received_at < interval '1 hour' THEN '<1h'
                    WHEN $2::timestamptz - t.received_at < interval '4 hours' THEN '1-4h'
                    WHEN $2::timestamptz - t.received_at < interval '24 hours' THEN '4-24h'
                    WHEN $2::timestamptz - t.received_at < interval '7 days' THEN '1-7d'
                    ELSE '>7d' END AS bucket, count(*) AS count
          FROM ticket t WHERE ${inScope} AND t.status NOT IN ('closed', 'cancelled')
         GROUP BY 1`, now),
      q<{ department: string; open: string; breached_now: string; closed: string }>(`
        SELECT t.department,
               count(*) FILTER (WHERE t.status NOT IN ('closed', 'cancelled')) AS open,
               count(*) FILTER (WHERE EXISTS (SELECT 1 FROM ticket_clock c WHERE c.ticket_id = t.id AND c.breached_at IS NOT NULL AND c.met_at IS NULL AND c.cancelled_at IS NULL)) AS breached_now,
               count(*) FILTER (WHERE t.status = 'closed' AND t.closed_at >= $2::timestamptz) AS closed
          FROM ticket t WHERE ${inScope}
         GROUP BY t.department ORDER BY t.department`, since),
      q<{ staff_id: string; name: string; open: string; breached_now: string }>(`
        SELECT s.id AS staff_id, s.name,
               count(*) FILTER (WHERE t.status NOT IN ('closed', 'cancelled')) AS open,
               count(*) FILTER (WHERE EXISTS (SELECT 1 FROM ticket_clock c WHERE c.ticket_id = t.id AND c.breached_at IS NOT NULL AND c.met_at IS NULL AND c.cancelled_at IS NULL)) AS breached_now
          FROM ticket t JOIN staff s ON s.id = t.assignee_id
         WHERE ${inScope}
         GROUP BY s.id, s.name ORDER BY open DESC, s.name`),
      q<{ hour: Date; received: string; breached: string }>(`
        SELECT h.hour,
               (SELECT count(*) FROM ticket t WHERE ${inScope} AND t.received_at >= h.hour AND t.received_at < h.hour + interval '1 hour') AS received,
               (SELECT count(*) FROM ticket_clock c JOIN ticket t ON t.id = c.ticket_id
                 WHERE ${inScope} AND c.breached_at >= h.hour AND c.breached_at < h.hour + interval '1 hour') AS breached
          FROM generate_series(date_trunc('hour', $2::timestamptz) - interval '23 hours', date_trunc('hour', $2::timestamptz), interval '1 hour') AS h(hour)
         ORDER BY h.hour`, now),
      // 超期说明 and 延期: each explanation of a missed deadline, each new time agreed while waiting.
      q<{ explained: string; extended: string }>(`
        SELECT count(*) FILTER (WHERE e.type = 'ticket.explain_delay') AS explained,
               count(*) FILTER (WHERE e.type = 'ticket.extend_wait') AS extended
          FROM event_log e JOIN ticket t ON t.id = e.ticket_id
         WHERE ${inScope} AND e.type IN ('ticket.explain_delay', 'ticket.extend_wait') AND e.at >= $2::timestamptz`, since),
      // Pickup: from receipt to the first acknowledgement, for alarms picked up in the window.
      q<{ seconds: string }>(`
        SELECT extract(epoch FROM a.acknowledged_at - a.first_seen_at) AS seconds
          FROM alarm a JOIN ticket t ON t.id = a.ticket_id
         WHERE ${inScope} AND a.acknowledged_at >= $2::timestamptz`, since),
      // How the alarms cleared in the window turned out (restored: ended by their own restore).
      q<{ outcome: AlarmOutcome; count: string }>(`
        SELECT e.data->'input'->>'outcome' AS outcome, count(*) AS count
          FROM event_log e JOIN ticket t ON t.id = e.ticket_id
         WHERE ${inScope} AND e.type = 'alarm.cleared' AND e.at >= $2::timestamptz
         GROUP BY 1`, since),
    ]);

    const levels = Object.fromEntries(satisfaction.map((row) => [row.level, Number(row.count)]));
    const satisfied = levels.satisfied ?? 0;
    const basically = levels.basically_satisfied ?? 0;
    const unsatisfied = levels.unsatisfied ?? 0;
    const ageCount = new Map(ages.map((row) => [row.bucket, Number(row.count)]));
    return {
      generatedAt: now.toISOString(),
      windowHours,
      department,
      clocks: clocks.map((row) => ({
        clock: row.clock,
        finished: Number(row.finished),
        onTime: Number(row.on_time),
        late: Number(row.late),
        onTimeRate: rate(Number(row.on_time), Number(row.finished)),
      })),
      breachesNow: Number(now1[0]?.breached ?? 0),
      escalationsNow: Number(now1[0]?.escalated ?? 0),
      responseSeconds: {
        average: response[0]?.average === null ? null : Math.round(Number(response[0]?.average) * 10) / 10,
        median: response[0]?.median === null ? null : Math.round(Number(response[0]?.median) * 10) / 10,
        count: Number(response[0]?.count ?? 0),
      },
      firstTimeFix: { closed: Number(fix[0].closed), withoutReopen: Number(fix[0].without_reopen), rate: rate(Number(fix[0].without_reopen), Number(fix[0].closed)) },
      // 满意 and 基本满意 both count as satisfied, as the sources' satisfaction rate does.
      satisfaction: { satisfied, basically_satisfied: basically, unsatisfied, rate: rate(satisfied + basically, satisfied + basically + unsatisfied) },
      openByAge: (['<1h', '1-4h', '4-24h', '1-7d', '>7d'] as const).map((bucket) => ({ bucket, count: ageCount.get(bucket) ?? 0 })),
      perDepartment: departments.map((row) => ({ department: row.department, open: Number(row.open), breachedNow: Number(row.breached_now), closed: Number(row.closed) })),
      perPerson: people.map((row) => ({ staffId: row.staff_id, name: row.name, open: Number(row.open), breachedNow: Number(row.breached_now) })),
      trend: trend.map((row) => ({ hour: new Date(row.hour).toISOString(), received: Number(row.received), breached: Number(row.breached) })),
      alarms: {
        pickup: pickupFigures(pickups.map((row) => Number(row.seconds))),
        outcomes: Object.fromEntries(ALARM_OUTCOMES.map((outcome) => [outcome, Number(outcomes.find((row) => row.outcome === outcome)?.count ?? 0)])) as Record<AlarmOutcome, number>,
      },
      delays: { explained: Number(delays[0]?.explained ?? 0), extended: Number(delays[0]?.extended ?? 0) },
    };
  }
}
