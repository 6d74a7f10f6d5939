import { APIRequestContext, expect, Page, test } from '@playwright/test';
import { openReleases, commandsTable } from './portal';

// Automatic progressive delivery against the sandbox: a real Prometheus
// scrapes the simulated stable and canary pods; payments-api has
// praevisio.io/auto-promote: 'true' and a canary configuration in which a
// canary that is only slower is Marginal. app-config.demo.yaml judges a pause
// after 40 s. These tests need Debian's prometheus package (CI installs it).

type Quality = 'healthy' | 'marginal' | 'bad';

/** A developer merges a change whose pods behave with `quality` (sandbox control API). */
async function landCommit(
  request: APIRequestContext,
  application: string,
  quality: Quality,
) {
  const res = await request.post(
    `http://127.0.0.1:7011/control/argocd/applications/${application}/revisions`,
    { data: { message: `feat: e2e ${quality} change`, quality } },
  );
  expect(res.status()).toBe(201);
  return (await res.json()).revision as string;
}

async function setQuality(
  request: APIRequestContext,
  revision: string,
  quality: Quality,
) {
  const res = await request.post(
    `http://127.0.0.1:7011/control/workloads/revisions/${revision}/quality`,
    { data: { quality } },
  );
  expect(res.status()).toBe(200);
}

async function syncProd(page: Page) {
  await page
    .getByRole('group', { name: 'Actions for prod' })
    .getByRole('button', { name: 'Sync…' })
    .click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Sync', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(
    page.getByRole('region', { name: 'prod environment' }),
  ).toContainText('CanaryPauseStep', { timeout: 60_000 });
}

test.describe.configure({ timeout: 240_000 });

test('a healthy canary is promoted automatically after its quality gate and canary analysis pass', async ({
  page,
  request,
}, testInfo) => {
  const revision = (
    await landCommit(request, 'payments-api-prod', 'healthy')
  ).slice(0, 7);
  await openReleases(page, 'payments-api');
  await syncProd(page);

  const prod = page.getByRole('region', { name: 'prod environment' });
  // Nobody clicks anything: Praevisio judges the pause and promotes.
  await expect(prod).toContainText(`payments-api:${revision}`, {
    timeout: 180_000,
  });
  await expect(prod).toContainText('Healthy', { timeout: 60_000 });
  const decisions = page.getByRole('list', { name: 'Gate decisions' });
  await expect(decisions).toContainText('Promote', { timeout: 30_000 });
  await expect(decisions).toContainText('Praevisio (automatic)');
  await page.screenshot({
    path: testInfo.outputPath('auto-promoted.png'),
    fullPage: true,
  });
});

test('a canary with a raised error rate is aborted automatically and the tab shows why', async ({
  page,
  request,
}, testInfo) => {
  await landCommit(request, 'payments-api-prod', 'bad');
  await openReleases(page, 'payments-api');
  await syncProd(page);

  const prod = page.getByRole('region', { name: 'prod environment' });
  await expect(prod).toContainText('Degraded', { timeout: 180_000 });
  const decisions = page.getByRole('list', { name: 'Gate decisions' });
  await expect(decisions).toContainText('Abort', { timeout: 30_000 });
  await expect(decisions).toContainText(/error_rate|fail/i);
  await expect(commandsTable(page)).toContainText('Aborted');
  await page.screenshot({
    path: testInfo.outputPath('auto-aborted.png'),
    fullPage: true,
  });
});

test('a marginal canary waits for a human with the gate warning as evidence, and the owner can still promote it', async ({
  page,
  request,
}, testInfo) => {
  const revision = await landCommit(request, 'payments-api-prod', 'marginal');
  const short = revision.slice(0, 7);
  try {
    await openReleases(page, 'payments-api');
    await syncProd(page);

    const prod = page.getByRole('region', { name: 'prod environment' });
    const verdict = 'gate warning (score 75), canary Marginal (score 80)';
    // Praevisio judges the pause and decides that a human must decide.
    await expect(commandsTable(page)).toContainText(
      `Waiting for a human: ${verdict}`,
      { timeout: 180_000 },
    );
    const decision = page
      .getByRole('list', { name: 'Gate decisions' })
      .getByRole('listitem')
      .first();
    await expect(decision).toContainText('Pause');
    await expect(decision).toContainText('Praevisio (automatic)');
    await expect(decision).toContainText(verdict);

    // Later reconciler passes change nothing: neither promoted nor aborted.
    await page.waitForTimeout(10_000);
    await page.reload();
    await expect(prod).toContainText('CanaryPauseStep');
    await expect(prod).toContainText('Canary weight 20%');
    await expect(decision).toContainText('Pause');
    await expect(decision).toContainText(verdict);

    // The evidence: the gate warns on p95 latency, errors pass.
    await expect(
      page
        .getByRole('region', { name: 'prod quality gate' })
        .getByRole('button', { name: /^Quality gate Warning 75\./ }),
    ).toBeVisible();
    await decision.getByRole('button', { name: 'Gate evaluation' }).click();
    const evaluation = page.getByRole('dialog');
    await expect(evaluation).toContainText(
      'Total score 75 of 100 · result warning',
    );
    const objectives = evaluation.getByRole('table', { name: 'Objectives' });
    const p95Row = objectives
      .getByRole('row')
      .filter({ hasText: 'Response time P95 (ms)' });
    await expect(p95Row).toContainText('Warning');
    const p95 = Number(
      (await p95Row.getByRole('cell').nth(1).innerText()).trim(),
    );
    expect(p95).toBeGreaterThan(600);
    expect(p95).toBeLessThanOrEqual(800);
    await expect(
      objectives.getByRole('row').filter({ hasText: 'Error rate' }),
    ).toContainText('Pass');
    await page.screenshot({
      path: testInfo.outputPath('marginal-evidence.png'),
      fullPage: true,
    });
    await evaluation.getByRole('button', { name: 'Close' }).click();
    await expect(evaluation).toBeHidden();
    const canary = page.getByRole('region', { name: 'Canary analysis prod' });
    await expect(canary).toContainText('Marginal');
    await expect(canary).toContainText('latency: 0');
    await expect(canary).toContainText('errors: 100');

    // A warning does not block the owner: promote fully by hand.
    const promoteFully = page
      .getByRole('group', { name: 'Actions for prod' })
      .getByRole('button', { name: 'Promote fully' });
    await expect(promoteFully).toBeEnabled();
    await promoteFully.click();
    const confirm = page.getByRole('dialog');
    await confirm.getByRole('button', { name: 'Promote fully' }).click();
    await expect(confirm).toBeHidden();
    await expect(prod).not.toContainText('CanaryPauseStep', {
      timeout: 60_000,
    });
    await expect(prod).toContainText('Healthy', { timeout: 60_000 });
    await expect(prod).toContainText(`payments-api:${short}`);
    await expect(commandsTable(page)).toContainText('Promote full');
  } finally {
    // The marginal revision may now be stable: later releases are judged
    // against healthy pods again.
    await setQuality(request, revision, 'healthy');
  }
});
