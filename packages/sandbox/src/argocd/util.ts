import { createHash } from 'node:crypto';

/**
 * Kubernetes serialises metav1.Time as RFC 3339 with second precision, so
 * clients that compare timestamps as strings see the same shape as upstream.
 */
export function formatTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function deepClone<T>(value: T): T {
  return structuredClone(value);
}

function sha256(input: string): Buffer {
  return createHash('sha256').update(input).digest();
}

/** Deterministic RFC 4122-shaped UID, so trees are stable across runs. */
export function stableUid(...parts: string[]): string {
  const hex = sha256(parts.join('/')).toString('hex');
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `4${hex.slice(13, 16)}`,
    `a${hex.slice(17, 20)}`,
    hex.slice(20, 32),
  ].join('-');
}

// Kubernetes' rand.SafeEncodeString alphabet (no vowels, no ambiguous digits):
// pod-template-hash values and pod name suffixes only ever use these.
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function safeEncodedHash(seed: string, length: number): string {
  const bytes = sha256(seed);
  let out = '';
  for (let i = 0; i < length; i++) {
    out += SAFE_ALPHABET[bytes[i] % SAFE_ALPHABET.length];
  }
  return out;
}

/** A pod-template-hash like the ReplicaSet controller computes (10 chars). */
export function podTemplateHash(template: string): string {
  return safeEncodedHash(`template:${template}`, 10);
}

/** Deterministic 40-hex "git" SHA for generated demo commits. */
export function fakeSha(seed: string): string {
  return createHash('sha1').update(seed).digest('hex');
}

export function isCommitSha(revision: string): boolean {
  return /^[0-9a-f]{40}$/i.test(revision);
}

/**
 * Parses a Rollouts pause duration: an integer means seconds, a string is a
 * Go-style duration ("30s", "5m", "1h30m") or bare digits (seconds).
 * Returns undefined when the pause is indefinite or unparseable.
 */
export function parseDurationSeconds(
  duration: string | number | undefined,
): number | undefined {
  if (duration === undefined || duration === null) {
    return undefined;
  }
  if (typeof duration === 'number') {
    return duration;
  }
  if (/^\d+$/.test(duration)) {
    return Number(duration);
  }
  const unitSeconds: Record<string, number> = {
    h: 3600,
    m: 60,
    s: 1,
    ms: 0.001,
  };
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  let total = 0;
  let consumed = 0;
  for (const match of duration.matchAll(re)) {
    total += Number(match[1]) * unitSeconds[match[2]];
    consumed += match[0].length;
  }
  return consumed === duration.length && consumed > 0 ? total : undefined;
}
