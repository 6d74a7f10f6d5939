import { createArgoCd, promtoolCheckMetrics } from './__testUtils__/fixtures';
import { EXPOSITION_CONTENT_TYPE, startMetricsServer } from './server';
import { WorkloadMetrics } from './WorkloadMetrics';

describe('workload metrics endpoint', () => {
  let now = Date.parse('2025-06-02T09:00:00Z');
  const metrics = WorkloadMetrics.create({
    argocd: createArgoCd(),
    clock: () => new Date(now),
  });
  let server: Awaited<ReturnType<typeof startMetricsServer>>;
  beforeAll(async () => {
    server = await startMetricsServer({ metrics });
  });
  afterAll(async () => {
    await server.close();
  });

  it('serves every pod group in text format 0.0.4 on a loopback port', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.target).toBe(server.url.replace('http://', ''));
    const first = await fetch(`${server.url}/metrics`);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe(EXPOSITION_CONTENT_TYPE);
    await first.text();
    now += 30_000;
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toMatch(
      /^http_requests_total\{service="payments-api",stage="prod",track="stable",.*code="200"\} [1-9]\d*$/m,
    );
    expect(text).toMatch(/stage="staging"/);
    expect(await promtoolCheckMetrics(text)).toEqual({ code: 0, output: '' });
  });

  it('answers /-/healthy, 404 elsewhere and 405 for writes', async () => {
    const healthy = await fetch(`${server.url}/-/healthy`);
    expect(healthy.status).toBe(200);
    expect(await healthy.text()).toBe('Healthy\n');
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    expect(
      (await fetch(`${server.url}/metrics`, { method: 'POST' })).status,
    ).toBe(405);
  });
});
