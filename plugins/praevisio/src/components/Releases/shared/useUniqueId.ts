import { useState } from 'react';
import { newIdempotencyKey } from '../../../lib/idempotencyKey';

/** A stable DOM id per component instance (React.useId needs React 18; we support 16+). */
export function useUniqueId(prefix: string): string {
  const [id] = useState(() => `${prefix}-${newIdempotencyKey().slice(0, 8)}`);
  return id;
}
