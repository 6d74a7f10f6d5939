import { evaluateGate, parseSlo } from '@praevisio/backstage-plugin-common';
import { demoKeptnSeeds } from './demoSeeds';

describe('demo Keptn seeds', () => {
  it('hold a valid slo.yaml per stage, and prod warns on its key SLI', () => {
    const seeds = demoKeptnSeeds();
    expect(seeds.map(s => `${s.project}/${s.stage}/${s.service}`)).toEqual([
      'finance/dev/ledger-service',
      'finance/staging/ledger-service',
      'finance/prod/ledger-service',
    ]);
    const results = seeds.map(
      s => evaluateGate({ slo: parseSlo(s.slo), values: s.values }).result,
    );
    expect(results).toEqual(['pass', 'pass', 'warning']);
  });
});
