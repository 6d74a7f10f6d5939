const FULL_SHA = /^[0-9a-f]{40}$/i;

/** A commit sha shortened to 7 characters; branches, tags and short shas as they are. */
export function shortRevision(revision?: string): string {
  if (!revision) return '—';
  return FULL_SHA.test(revision) ? revision.slice(0, 7) : revision;
}

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "3 minutes ago", "in 2 hours", "just now"; '—' for a missing or invalid time. */
export function formatRelativeTime(iso?: string, now: number = Date.now()) {
  if (!iso) return '—';
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  const seconds = (time - now) / 1000;
  if (Math.abs(seconds) < 45) return 'just now';
  const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) {
      return format.format(Math.round(seconds / size), unit);
    }
  }
  return format.format(Math.round(seconds / 60), 'minute');
}

/** The full local date and time, for tooltips next to relative times. */
export function formatDateTime(iso?: string): string {
  if (!iso) return '';
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : new Date(time).toLocaleString();
}

/** "CanaryPauseStep" → "Canary pause step", "promote-full" → "Promote full". */
export function humanize(value: string): string {
  const words = value
    .replace(/[-_]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .trim()
    .toLocaleLowerCase('en-US');
  return words.charAt(0).toLocaleUpperCase('en-US') + words.slice(1);
}

/** A measured value for display: up to 4 significant digits, `—` when missing or NaN. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return Number.isInteger(value)
    ? String(value)
    : String(Number(value.toPrecision(4)));
}
