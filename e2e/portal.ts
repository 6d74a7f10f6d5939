import { expect, Page } from '@playwright/test';

/** Signs in as the demo's guest (a member of team-payments). */
export async function signInAsGuest(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(page.getByText('Praevisio Demo Catalog')).toBeVisible();
}

/** Signs in and opens a demo component's Releases tab once its cards show. */
export async function openReleases(page: Page, component: string) {
  await signInAsGuest(page);
  await page.goto(`/catalog/default/component/${component}/releases`);
  await expect(
    page.getByRole('region', { name: 'prod environment' }),
  ).toBeVisible();
}

/** The "Commands issued via Praevisio" table (not the gates' tables). */
export const commandsTable = (page: Page) =>
  page
    .getByRole('table')
    .filter({ has: page.getByRole('columnheader', { name: /Requested by/i }) });
