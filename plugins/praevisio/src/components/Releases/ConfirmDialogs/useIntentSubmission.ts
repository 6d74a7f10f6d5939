import { useCallback, useRef, useState } from 'react';
import { isRefusal } from '../../../lib/errors';
import { newIdempotencyKey } from '../../../lib/idempotencyKey';

/**
 * One user intent behind a confirm dialog: an idempotency key made when the
 * dialog opens and reused for every attempt (double clicks, retries after a
 * network error), so the backend runs the command at most once.
 *
 * The key is renewed when the intent changes (the user edits the form) or the
 * server refused it (4xx): trying again after a refusal is a new decision and
 * must not be answered with the stored refusal.
 */
export function useIntentSubmission() {
  const [idempotencyKey, setKey] = useState(newIdempotencyKey);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const inFlight = useRef(false);

  const renewKey = useCallback(() => setKey(newIdempotencyKey()), []);

  const submit = useCallback(
    async (
      send: (idempotencyKey: string) => Promise<unknown>,
      onDone: () => void,
    ) => {
      // A ref, not state: two clicks in one tick both see `submitting` false.
      if (inFlight.current) return;
      inFlight.current = true;
      setSubmitting(true);
      setError(undefined);
      try {
        await send(idempotencyKey);
        inFlight.current = false;
        onDone();
      } catch (e) {
        inFlight.current = false;
        setSubmitting(false);
        setError(e);
        if (isRefusal(e)) renewKey();
      }
    },
    [idempotencyKey, renewKey],
  );

  return {
    idempotencyKey,
    submitting,
    error,
    clearError: () => setError(undefined),
    renewKey,
    submit,
  };
}
