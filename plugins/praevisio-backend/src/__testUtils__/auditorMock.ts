import { mockServices } from '@backstage/backend-test-utils';

/** An auditor that records each event's id, severity and outcome for assertions. */
export function auditorMock() {
  const events: Array<{
    eventId: string;
    severityLevel?: string;
    outcome?: string;
  }> = [];
  const mock = mockServices.auditor.mock({
    createEvent: async options => {
      const event = {
        eventId: options.eventId,
        severityLevel: options.severityLevel,
      } as (typeof events)[number];
      events.push(event);
      return {
        success: async () => {
          event.outcome = 'success';
        },
        fail: async () => {
          event.outcome = 'fail';
        },
      };
    },
  });
  return Object.assign(mock, { events });
}
