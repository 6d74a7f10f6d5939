import { expect, test } from '@playwright/test';
import { signInAsGuest } from './portal';

// ledger-service keeps its quality gate in an existing Keptn v1 installation
// (praevisio.io/gate-provider: keptn): the sandbox's Keptn simulator scores it
// with the slo.yaml and SLI values it was seeded with (prod warns).

test("an owner evaluates a gate that Keptn scores, and sees Keptn's evidence", async ({
  page,
}, testInfo) => {
  await signInAsGuest(page);
  await page.goto('/catalog/default/component/ledger-service/releases');

  const gate = page.getByRole('region', { name: 'prod quality gate' });
  await gate.getByRole('button', { name: 'Evaluate now' }).click();
  const details = gate.getByRole('button', { name: 'Details' });
  await expect(details).toBeVisible({ timeout: 30_000 });
  await details.click();

  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText("scored by Keptn 'sandbox' (keptnContext");
  await expect(dialog).toContainText('result warning');
  const objectives = dialog.getByRole('table', { name: 'Objectives' });
  await expect(objectives).toContainText('Posting lag (s)');
  await expect(objectives).toContainText('Rejected postings');
  await page.screenshot({
    path: testInfo.outputPath('keptn-gate.png'),
    fullPage: true,
  });
});
