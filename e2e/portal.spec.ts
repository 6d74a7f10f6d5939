import { expect, test } from '@playwright/test';
import { signInAsGuest } from './portal';

test('a demo component shows the four Praevisio tabs', async ({
  page,
}, testInfo) => {
  await signInAsGuest(page);
  await page.goto('/catalog/default/component/payments-api');
  await expect(
    page.getByRole('heading', { name: 'payments-api' }),
  ).toBeVisible();

  // Entity page tabs render as links in the new frontend system.
  const tab = (name: string) =>
    page.getByRole('main').getByRole('link', { name, exact: true });
  for (const name of ['Releases', 'Incidents', 'Compliance', 'Backups']) {
    await expect(tab(name)).toBeVisible();
  }

  await tab('Compliance').click();
  await expect(page.getByText('Compliance wiring')).toBeVisible();
  await expect(page.getByText('soc2')).toBeVisible();

  await tab('Backups').click();
  // No Kubernetes cluster is configured in the plain portal config.
  await expect(page.getByText('kubernetes is not configured')).toBeVisible();

  await page.screenshot({
    path: testInfo.outputPath('payments-api-backups.png'),
    fullPage: true,
  });
});

test('an unannotated component explains which annotation enables a tab', async ({
  page,
}) => {
  await signInAsGuest(page);
  await page.goto('/catalog/default/component/legacy-batch/releases');
  await expect(page.getByText('argocd/app-name').first()).toBeVisible();
});

test('the Operations page lists integrations and services', async ({
  page,
}, testInfo) => {
  await signInAsGuest(page);
  await page.getByRole('link', { name: 'Operations' }).click();
  await expect(
    page.getByRole('heading', { name: 'Operations' }).first(),
  ).toBeVisible();
  await expect(
    page.getByRole('heading', { name: 'Integrations' }),
  ).toBeVisible();
  await expect(page.getByRole('link', { name: 'payments-api' })).toBeVisible();
  await page.screenshot({
    path: testInfo.outputPath('operations.png'),
    fullPage: true,
  });
});

test('the backend refuses unauthenticated API calls but serves health', async ({
  request,
}) => {
  const health = await request.get(
    'http://localhost:7007/api/praevisio/health',
  );
  expect(health.status()).toBe(200);
  for (const path of ['/integrations', '/audit/verify', '/audit/events']) {
    const res = await request.get(`http://localhost:7007/api/praevisio${path}`);
    expect(res.status(), path).toBe(401);
  }
});
