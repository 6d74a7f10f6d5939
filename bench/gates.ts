/*
 * Quality gates and canary judge:
 * - a 20-objective gate evaluated against a real Prometheus (queries run
 *   concurrently) versus the slowest of its queries run alone;
 * - the canary judge classifying one metric with 10,000 samples per side
 *   (latencies rounded to 0.1 ms, as most metrics are, and all distinct);
 * - the gate engine's throughput in objectives per second.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  benchJudgeMetric,
  benchScoreObjectives,
  evaluateGate,
  parseSli,
  parseSlo,
} from '@praevisio/backstage-plugin-common';
import {
  fetchSliValues,
  PrometheusClient,
} from '@praevisio/backstage-plugin-node';
import { startRealPrometheus } from '../plugins/praevisio-node/src/prometheus/__testUtils__/realPrometheus';
import { machine, median, round, today } from './_machine';

const OBJECTIVES = 20;
const ROUNDS = 15;
const WARM_UP_EVALUATIONS = 10;

function seriesFamilies(end: number) {
  // 20 latency series, one sample every 15 s for 24 h: enough data that each
  // quantile_over_time query does real work.
  const samples = [];
  for (let sli = 0; sli < OBJECTIVES; sli++) {
    for (let t = end - 24 * 3600; t <= end; t += 15) {
      samples.push({
        labels: { service: 'bench', sli: `s${sli}` },
        value: 100 + sli + ((t / 15) % 50),
        timestamp: t,
      });
    }
  }
  return [{ name: 'bench_latency_ms', type: 'gauge' as const, samples }];
}

/**
 * The network between a backend and a remote Prometheus: a TCP proxy in a
 * child process (bench/_latencyProxy.cjs) that holds every answer for
 * `delayMs`. A real network does its work outside the backend's process, so
 * the proxy must not run on the client's event loop, where buffering and
 * re-sending 20 answers would be counted in the evaluation. On this machine
 * it still shares the CPUs with Prometheus and the client; it forwards bytes
 * without parsing HTTP to keep that share small.
 */
async function latencyProxy(target: string, delayMs: number) {
  const child = spawn(
    process.execPath,
    [
      path.join(__dirname, '_latencyProxy.cjs'),
      new URL(target).host,
      String(delayMs),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', chunk => {
      out += String(chunk);
      if (out.includes('\n')) resolve(Number(out.trim()));
    });
    child.once('error', reject);
    child.once('exit', code =>
      reject(new Error(`latency proxy exited with code ${code}`)),
    );
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise(resolve => child.once('exit', resolve));
      child.stdin.end(); // the proxy exits when its stdin closes
      await exited;
    },
  };
}

async function gateAgainstPrometheus(networkDelayMs: number) {
  const end = Math.floor(Date.now() / 1000 / 60) * 60 - 3600;
  const prometheus = await startRealPrometheus({
    families: seriesFamilies(end),
  });
  const proxy =
    networkDelayMs > 0
      ? await latencyProxy(prometheus.url, networkDelayMs)
      : undefined;
  try {
    const client = PrometheusClient.create({
      name: 'bench',
      url: proxy?.url ?? prometheus.url,
      // The production default (maxConcurrentQueries 20): all 20 of one
      // evaluation's queries in flight at once.
    });
    const indicators: Record<string, string> = {};
    const objectives: string[] = [];
    for (let i = 0; i < OBJECTIVES; i++) {
      indicators[
        `sli_${i}`
      ] = `quantile_over_time(0.95, bench_latency_ms{service="$SERVICE",sli="s${i}"}[$DURATION_SECONDS])`;
      objectives.push(
        `  - sli: sli_${i}\n    pass:\n      - criteria: ['<=500']\n    warning:\n      - criteria: ['<=800']`,
      );
    }
    const sli = parseSli(JSON.stringify({ spec_version: '1.0', indicators }));
    const slo = parseSlo(
      `spec_version: '1.0'\nobjectives:\n${objectives.join(
        '\n',
      )}\ntotal_score:\n  pass: '90%'\n  warning: '75%'\n`,
    );
    const start = new Date((end - 300) * 1000); // a 5-minute evaluation window, the Keptn default
    const endDate = new Date(end * 1000);
    const context = { service: 'bench' };

    const evaluate = async () => {
      const { values, errors } = await fetchSliValues({
        client,
        sli,
        context,
        start,
        end: endDate,
      });
      if (Object.keys(errors).length) throw new Error(JSON.stringify(errors));
      return evaluateGate({ slo, values });
    };
    // Warm-up: Prometheus loads blocks into its page cache on first use, and
    // the client's HTTP code needs some calls before V8 optimises it. A
    // backend evaluates gates all day, so the steady state is what counts.
    for (let i = 0; i < WARM_UP_EVALUATIONS; i++) await evaluate();

    const slowest: number[] = [];
    const evaluations: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      let slowestThisRound = 0;
      for (let i = 0; i < OBJECTIVES; i++) {
        const t0 = performance.now();
        await fetchSliValues({
          client,
          sli,
          context,
          start,
          end: endDate,
          indicators: [`sli_${i}`],
        });
        slowestThisRound = Math.max(slowestThisRound, performance.now() - t0);
      }
      slowest.push(slowestThisRound);
      const t0 = performance.now();
      const result = await evaluate();
      evaluations.push(performance.now() - t0);
      if (result.result !== 'pass')
        throw new Error(`unexpected gate result ${result.result}`);
    }
    return {
      slowestQueryMs: median(slowest),
      evaluationMs: median(evaluations),
    };
  } finally {
    await proxy?.close();
    await prometheus.stop();
  }
}

/** `distinct`: no two samples equal, the rank test's slowest case. */
function judge10k(distinct: boolean) {
  for (let i = 0; i < 5; i++) benchJudgeMetric(10_000, { distinct }); // JIT warm-up
  const times = Array.from(
    { length: 21 },
    () => benchJudgeMetric(10_000, { distinct }).elapsedMs,
  );
  return median(times);
}

function objectivesPerSecond() {
  benchScoreObjectives(20_000); // warm-up
  const runs = Array.from({ length: 7 }, () => benchScoreObjectives(100_000));
  return median(runs.map(r => r.objectivesPerSecond));
}

export async function run() {
  // Headline numbers: Prometheus behind 20 ms of simulated network, as a
  // remote Prometheus is. On loopback with 2 cores the 20 queries compete for
  // the CPU, so that case is reported too, and so are a shorter and a longer
  // round trip, to show how the ratio depends on it.
  const remote = await gateAgainstPrometheus(20);
  const loopback = await gateAgainstPrometheus(0);
  const otherDelays = [];
  for (const networkDelayMs of [5, 50]) {
    const other = await gateAgainstPrometheus(networkDelayMs);
    otherDelays.push({
      networkDelayMs,
      slowestQueryMs: round(other.slowestQueryMs),
      evaluationMs: round(other.evaluationMs),
    });
  }
  return {
    date: today(),
    machine: machine(),
    objectives: OBJECTIVES,
    slowestQueryMs: round(remote.slowestQueryMs),
    evaluationMs: round(remote.evaluationMs),
    networkDelayMs: 20,
    loopbackSlowestQueryMs: round(loopback.slowestQueryMs),
    loopbackEvaluationMs: round(loopback.evaluationMs),
    otherDelays,
    judgeMsPer10kSamples: round(judge10k(false)),
    judgeMsPer10kDistinctSamples: round(judge10k(true)),
    objectivesPerSecond: Math.round(objectivesPerSecond()),
  };
}
