import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { makeHistoryPage, responseError } from '../__testUtils__/fixtures';
import {
  ReleaseHistoryTable,
  ReleaseHistoryTableProps,
} from './ReleaseHistoryTable';

function props(
  overrides: Partial<ReleaseHistoryTableProps> = {},
): ReleaseHistoryTableProps {
  return {
    value: makeHistoryPage(0),
    loading: false,
    page: 0,
    pageSize: 10,
    onPageChange: jest.fn(),
    onPageSizeChange: jest.fn(),
    applications: ['payments-prod'],
    onApplicationChange: jest.fn(),
    ...overrides,
  };
}

describe('ReleaseHistoryTable', () => {
  it('shows one server page with its columns', async () => {
    await renderInTestApp(<ReleaseHistoryTable {...props()} />);
    for (const title of [
      'Environment',
      'Revision',
      'Deployed at',
      'Author',
      'Message',
      'Initiated by',
    ]) {
      expect(
        screen.getByRole('columnheader', { name: title }),
      ).toBeInTheDocument();
    }
    expect(screen.getByText('commit message 0')).toBeInTheDocument();
    expect(screen.getByText('commit message 9')).toBeInTheDocument();
    expect(screen.getByText('author-3')).toBeInTheDocument();
    expect(screen.getByText('0000000')).toBeInTheDocument();
    expect(screen.getAllByText('1-10 of 25').length).toBeGreaterThan(0);
  });

  it('asks for the next page instead of slicing locally', async () => {
    const onPageChange = jest.fn();
    await renderInTestApp(<ReleaseHistoryTable {...props({ onPageChange })} />);
    await userEvent.click(screen.getByRole('button', { name: 'Next Page' }));
    expect(onPageChange).toHaveBeenCalledWith(1);
  });

  it('renders a later page as the server sent it', async () => {
    await renderInTestApp(
      <ReleaseHistoryTable
        {...props({ value: makeHistoryPage(2), page: 2 })}
      />,
    );
    expect(screen.getAllByText('21-25 of 25').length).toBeGreaterThan(0);
    expect(screen.getByText('commit message 24')).toBeInTheDocument();
    expect(screen.queryByText('commit message 0')).not.toBeInTheDocument();
  });

  it('filters by application when there are several', async () => {
    const onApplicationChange = jest.fn();
    await renderInTestApp(
      <ReleaseHistoryTable
        {...props({
          applications: ['payments-dev', 'payments-prod'],
          onApplicationChange,
        })}
      />,
    );
    await userEvent.click(
      screen.getByRole('button', { name: /All applications/ }),
    );
    await userEvent.click(screen.getByRole('option', { name: 'payments-dev' }));
    expect(onApplicationChange).toHaveBeenCalledWith('payments-dev');
  });

  it('says when there is no history', async () => {
    await renderInTestApp(
      <ReleaseHistoryTable {...props({ value: makeHistoryPage(0, 10, 0) })} />,
    );
    expect(screen.getByText(/has no deploy history/)).toBeInTheDocument();
  });

  it('shows a permission-denied state on 403', async () => {
    await renderInTestApp(
      <ReleaseHistoryTable
        {...props({
          error: await responseError(403, 'denied', 'NotAllowedError'),
        })}
      />,
    );
    expect(
      screen.getByText('You are not allowed to see the release history'),
    ).toBeInTheDocument();
  });
});
