import { APIRequestContext, expect, Page, test } from '@playwright/test';

// Automatic progressive delivery against the sandbox: a real Prometheus
// scrapes the simulated stable and canary pods; payments-api has
// praevisio.io/auto-promote: 'true'. app-config.demo.yaml judges a pause after
// 40 s. These tests need Debian's prometheus package (CI installs it).

/** The "Commands issued via Praevisio" table (not the gates' tables). */
const commandsTable = (page: Page) =>
  page
    .getByRole('table')
    .filter({ has: page.getByRole('columnheader', { name: /Requested by/i }) });

async function openReleases(page: Page, component: string) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(page.getByText('Praevisio Demo Catalog')).toBeVisible();
  await page.goto(`/catalog/default/component/${component}/releases`);
  await expect(
    page.getByRole('region', { name: 'prod environment' }),
  ).toBeVisible();
}

async function landCommit(
  request: APIRequestContext,
  application: string,
  bad: boolean,
) {
  const res = await request.post(
    `http://127.0.0.1:7011/control/argocd/applications/${application}/revisions`,
    { data: { message: `feat: e2e ${bad ? 'bad' : 'good'} change`, bad } },
  );
  expect(res.status()).toBe(201);
  return ((await res.json()).revision as string).slice(0, 7);
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
  const revision = await landCommit(request, 'payments-api-prod', false);
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
  await landCommit(request, 'payments-api-prod', true);
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
