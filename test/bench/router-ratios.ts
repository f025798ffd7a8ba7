import type { ClinicApp } from '../../electron/app';
import type { Input, MethodName, Output } from '../../electron/api';
import type { Result } from '../../shared/api';
import { BareSql } from './bare-sql';
import { percentile, round, timed, type Metric } from './run';
import type { NewPatient } from './seed';

/**
 * Router over bare SQL (issue #20), measured interleaved in one process on the same connection:
 * each router call is paired with the bare-SQL version of the same work (test/bench/bare-sql.ts),
 * the order alternating so neither side always runs on a warmer cache. Reported as the ratio of
 * the two p50s (and p95s), next to the absolute figures of both.
 */
export interface RatioInputs {
  app: ClinicApp;
  token: string;
  today: string;
  now: () => number;
  user: { id: string; username: string };
  doctorId: string;
  queries: () => string;
  searches: number;
  /** Two newcomers per pair: one for the router, one for the bare SQL. */
  newcomers: NewPatient[];
  /** Two patients per pair, none of them in today's queue yet. */
  arrivals: string[];
  report: (metric: Metric) => void;
}

export function measureRatios(i: RatioInputs): void {
  const call = <M extends MethodName>(method: M, input: Input<M>): Output<M> => {
    const r = i.app.router.call(method, input, i.token) as Result<Output<M>>;
    if (!r.ok) throw new Error(`${method} failed: ${JSON.stringify(r.error)}`);
    return r.value;
  };
  const bare = new BareSql(i.app.database.sqlite, i.app.deviceId, i.user, i.today);
  const pairs = (name: string, n: number, viaRouter: (k: number) => number | null, viaSql: (k: number) => number) => {
    const r: number[] = [];
    const s: number[] = [];
    for (let k = 0; k < n; k++) {
      if (k % 2 === 0) {
        const a = viaRouter(k);
        const b = viaSql(k);
        if (a !== null) r.push(a);
        s.push(b);
      } else {
        const b = viaSql(k);
        const a = viaRouter(k);
        if (a !== null) r.push(a);
        s.push(b);
      }
    }
    const rp50 = percentile(r, 50);
    const sp50 = percentile(s, 50);
    i.report({ name: `${name}.router_over_sql.p50`, value: round(rp50 / sp50), unit: 'ratio', n: r.length, router_p50_ms: round(rp50, 3), sql_p50_ms: round(sp50, 3) });
    i.report({ name: `${name}.router_over_sql.p95`, value: round(percentile(r, 95) / percentile(s, 95)), unit: 'ratio', n: r.length, router_p95_ms: round(percentile(r, 95), 3), sql_p95_ms: round(percentile(s, 95), 3) });
  };

  const searchQueries = Array.from({ length: i.searches }, () => i.queries());
  pairs('patients.search', i.searches, (k) => timed(() => call('patients.search', { query: searchQueries[k]!, limit: 20 })).ms, (k) => timed(() => bare.search(searchQueries[k]!, 20)).ms);

  const half = Math.floor(i.newcomers.length / 2);
  pairs(
    'patients.register',
    half,
    (k) => {
      const t = timed(() => call('patients.register', { patient: i.newcomers[2 * k]!, acknowledgeDuplicates: [] }));
      // A duplicate warning writes nothing: not the same work as the bare insert, so not paired.
      return t.value.status === 'registered' ? t.ms : null;
    },
    (k) => timed(() => bare.register(i.newcomers[2 * k + 1]!, i.now())).ms,
  );

  const visits = Math.floor(i.arrivals.length / 2);
  pairs(
    'queue.checkIn',
    visits,
    (k) => timed(() => call('queue.checkIn', { patientId: i.arrivals[2 * k]!, doctorId: i.doctorId })).ms,
    (k) => timed(() => bare.checkIn(i.arrivals[2 * k + 1]!, i.doctorId, i.now())).ms,
  );
}
