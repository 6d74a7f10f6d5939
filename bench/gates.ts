/*
 * Quality gates and canary judge:
 * - a 20-objective gate evaluated against a real Prometheus (queries run
 *   concurrently) versus the slowest of its queries run alone;
 * - the canary judge classifying one metric with 10,000 samples per side;
 * - the gate engine's throughput in objectives per second.
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';
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
 * A loopback proxy that adds a fixed delay to every answer, standing in for
 * the network between a backend and a remote Prometheus.
 */
async function latencyProxy(target: string, delayMs: number) {
  const server = http.createServer((req, res) => {
    const upstream = http.request(
      new URL(req.url ?? '/', target),
      { method: req.method, headers: req.headers },
      answer => {
        const chunks: Buffer[] = [];
        answer.on('data', c => chunks.push(c));
        answer.on('end', () =>
          setTimeout(() => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(Buffer.concat(chunks));
          }, delayMs),
        );
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
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
      // One evaluation's queries all in flight at once.
      http: { maxConcurrency: 32 },
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
    // Warm-up: Prometheus loads blocks into its page cache on first use.
    await evaluate();

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

function judge10k() {
  for (let i = 0; i < 5; i++) benchJudgeMetric(10_000); // JIT warm-up
  const times = Array.from(
    { length: 21 },
    () => benchJudgeMetric(10_000).elapsedMs,
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
  // the CPU, so that case is reported too.
  const remote = await gateAgainstPrometheus(20);
  const loopback = await gateAgainstPrometheus(0);
  return {
    date: today(),
    machine: machine(),
    objectives: OBJECTIVES,
    slowestQueryMs: round(remote.slowestQueryMs),
    evaluationMs: round(remote.evaluationMs),
    networkDelayMs: 20,
    loopbackSlowestQueryMs: round(loopback.slowestQueryMs),
    loopbackEvaluationMs: round(loopback.evaluationMs),
    judgeMsPer10kSamples: round(judge10k()),
    objectivesPerSecond: Math.round(objectivesPerSecond()),
  };
}
