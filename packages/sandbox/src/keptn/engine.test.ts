import { KeptnSimulator } from './KeptnSimulator';

const SLO = `spec_version: '1.0'
comparison:
  compare_with: single
  include_result_with_score: pass
  number_of_comparison_results: 1
  aggregate_function: avg
objectives:
  - sli: response_time_p95
    pass:
      - criteria: ['<=+10%', '<600']
    warning:
      - criteria: ['<=800']
  - sli: error_rate
    key_sli: true
    pass:
      - criteria: ['<=0.01']
total_score:
  pass: '90%'
  warning: '75%'
`;

describe('KeptnSimulator with the default (Praevisio) scoring engine', () => {
  it('scores like lighthouse: pass first, then warning against the first result as baseline', async () => {
    const sim = KeptnSimulator.create({ apiToken: 'secret', tickMs: 0 });
    const { url } = await sim.start();
    try {
      const trigger = async () => {
        const res = await fetch(
          `${url}/api/controlPlane/v1/project/commerce/stage/prod/service/payments-api/evaluation`,
          {
            method: 'POST',
            headers: {
              'x-token': 'secret',
              'Content-Type': 'application/json',
            },
            body: JSON.stringify({ timeframe: '5m' }),
          },
        );
        expect(res.status).toBe(200);
        const { keptnContext } = await res.json();
        sim.advance();
        const events = await fetch(
          `${url}/api/mongodb-datastore/event?keptnContext=${keptnContext}&type=sh.keptn.event.evaluation.finished`,
          { headers: { 'x-token': 'secret' } },
        ).then(r => r.json());
        return events.events[0].data.evaluation;
      };

      sim.seed({
        project: 'commerce',
        stage: 'prod',
        service: 'payments-api',
        slo: SLO,
        values: { response_time_p95: 400, error_rate: 0.001 },
      });
      expect(await trigger()).toMatchObject({ result: 'pass', score: 100 });

      // 500 ms is below 600 but more than 10 % above the 400 ms baseline.
      sim.seed({
        project: 'commerce',
        stage: 'prod',
        service: 'payments-api',
        slo: SLO,
        values: { response_time_p95: 500, error_rate: 0.001 },
      });
      expect(await trigger()).toMatchObject({ result: 'warning', score: 75 });
    } finally {
      await sim.stop();
    }
  });
});
