import { APIRequestContext, expect, Page, test } from '@playwright/test';
import { openReleases, commandsTable } from './portal';

// The sandbox (packages/sandbox) serves the demo applications; the guest is a
// member of team-payments (owner of payments-api, checkout-web and
// ledger-service) and not of team-platform (owner of search-api).

/** A developer merges a change to the application's manifests (sandbox control API). */
async function landNewCommit(request: APIRequestContext, application: string) {
  const res = await request.post(
    `http://127.0.0.1:7011/control/argocd/applications/${application}/revisions`,
    { data: { message: `feat: e2e change to ${application}` } },
  );
  expect(res.status()).toBe(201);
  return ((await res.json()).revision as string).slice(0, 7);
}

const environment = (page: Page, env: string) =>
  page.getByRole('region', { name: `${env} environment` });

const actions = (page: Page, env: string) =>
  page.getByRole('group', { name: `Actions for ${env}` });

async function revisionOf(page: Page, env: string) {
  const text = await environment(page, env).innerText();
  return text.match(/Revision\s+([0-9a-f]{7})/)?.[1];
}

test('an owner syncs staging to the newest revision and sees it go healthy', async ({
  page,
  request,
}, testInfo) => {
  const target = await landNewCommit(request, 'payments-api-staging');
  await openReleases(page, 'payments-api');
  expect(await revisionOf(page, 'staging')).not.toBe(target);

  await actions(page, 'staging').getByRole('button', { name: 'Sync…' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('payments-api-staging');
  await dialog.getByRole('button', { name: 'Sync', exact: true }).click();
  await expect(dialog).toBeHidden();

  // The staging card follows the sync through to the new revision, healthy.
  await expect
    .poll(() => revisionOf(page, 'staging'), { timeout: 60_000 })
    .toBe(target);
  await expect(environment(page, 'staging')).toContainText('Healthy', {
    timeout: 60_000,
  });
  await expect(commandsTable(page)).toContainText('Succeeded', {
    timeout: 60_000,
  });
  await page.screenshot({
    path: testInfo.outputPath('staging-synced.png'),
    fullPage: true,
  });
});

test('an owner promotes a paused canary in prod to completion', async ({
  page,
  request,
}, testInfo) => {
  const target = await landNewCommit(request, 'payments-api-prod');
  await openReleases(page, 'payments-api');

  await actions(page, 'prod').getByRole('button', { name: 'Sync…' }).click();
  const sync = page.getByRole('dialog');
  await sync.getByRole('button', { name: 'Sync', exact: true }).click();
  await expect(sync).toBeHidden();

  // The Rollout pauses at its indefinite pause step with 20 % canary traffic.
  const prod = environment(page, 'prod');
  await expect(prod).toContainText('CanaryPauseStep', { timeout: 60_000 });
  await expect(prod).toContainText('Canary weight 20%');
  await page.screenshot({
    path: testInfo.outputPath('canary-paused.png'),
    fullPage: true,
  });

  await actions(page, 'prod')
    .getByRole('button', { name: 'Promote fully' })
    .click();
  const promote = page.getByRole('dialog');
  await promote.getByRole('button', { name: 'Promote fully' }).click();
  await expect(promote).toBeHidden();

  await expect
    .poll(() => revisionOf(page, 'prod'), { timeout: 60_000 })
    .toBe(target);
  await expect(prod).toContainText('Healthy', { timeout: 60_000 });
  await expect(prod).not.toContainText('CanaryPauseStep');
  await expect(prod).toContainText(`payments-api:${target}`);
});

test('an owner aborts a paused blue-green release and traffic stays on the stable version', async ({
  page,
  request,
}) => {
  await landNewCommit(request, 'checkout-web-prod');
  await openReleases(page, 'checkout-web');
  const prod = environment(page, 'prod');
  const activeBefore = (await prod.innerText()).match(/Active: (\S+)/)?.[1];
  expect(activeBefore).toBeTruthy();

  await actions(page, 'prod').getByRole('button', { name: 'Sync…' }).click();
  await page
    .getByRole('dialog')
    .getByRole('button', { name: 'Sync', exact: true })
    .click();
  await expect(prod).toContainText('BlueGreenPause', { timeout: 60_000 });

  await actions(page, 'prod').getByRole('button', { name: 'Abort' }).click();
  const abort = page.getByRole('dialog');
  await abort.getByRole('button', { name: 'Abort' }).click();
  await expect(abort).toBeHidden();

  await expect(prod).toContainText('Degraded', { timeout: 60_000 });
  await expect(commandsTable(page)).toContainText('Aborted', {
    timeout: 60_000,
  });
  expect((await prod.innerText()).match(/Active: (\S+)/)?.[1]).toBe(
    activeBefore,
  );
});

test('an owner rolls prod back to the previous release', async ({ page }) => {
  await openReleases(page, 'ledger-service');
  const before = await revisionOf(page, 'prod');

  await actions(page, 'prod')
    .getByRole('button', { name: 'Roll back…' })
    .click();
  const dialog = page.getByRole('dialog');
  // The first offered target is the release before the running one.
  const choice = dialog.getByRole('radio').first();
  await choice.check();
  const target = (
    await choice.evaluate(el => el.closest('label')?.textContent ?? '')
  ).match(/[0-9a-f]{7}/)?.[0];
  expect(target).toBeTruthy();
  expect(target).not.toBe(before);
  await dialog.getByRole('button', { name: 'Roll back', exact: true }).click();
  await expect(dialog).toBeHidden();

  await expect
    .poll(() => revisionOf(page, 'prod'), { timeout: 60_000 })
    .toBe(target);
  await expect(commandsTable(page)).toContainText('Rolled back', {
    timeout: 60_000,
  });
});

test('a non-owner sees the actions disabled with the reason, and the API refuses with 403', async ({
  page,
  request,
}) => {
  await openReleases(page, 'search-api');
  const sync = actions(page, 'prod').getByRole('button', { name: 'Sync…' });
  await expect(sync).toBeDisabled();
  await sync.hover({ force: true });
  await expect(page.getByRole('tooltip')).toContainText(
    'Only owners of this component (team-platform) may deploy',
  );

  // The same guest, calling the API directly.
  const session = await request.get(
    'http://localhost:7007/api/auth/guest/refresh',
    {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    },
  );
  expect(session.ok()).toBe(true);
  const token = (await session.json()).backstageIdentity.token;
  const res = await request.post(
    'http://localhost:7007/api/praevisio/entities/component/default/search-api/releases/search-api-prod/sync',
    {
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
        'Idempotency-Key': `e2e-${Date.now()}`,
      },
      data: {},
    },
  );
  expect(res.status()).toBe(403);
});
