/** Replacement text for anything scrubbed. */
export const REDACTED = '[REDACTED]';

// Shorter values would redact ordinary words; real tokens and passwords are longer.
const MIN_SECRET_LENGTH = 4;
// Session tokens are renewed over time; keep the set bounded.
const MAX_DYNAMIC_SECRETS = 32;

/**
 * Patterns that look like credentials whatever their value. They complement the
 * exact values registered with {@link SecretScrubber.add}, so a token we never
 * saw (e.g. echoed by a proxy) is still hidden.
 */
const PATTERNS: ReadonlyArray<[RegExp, string]> = [
  // Header lines or header-ish fragments: "Authorization: Bearer x", "cookie=..."
  [
    /\b(authorization|proxy-authorization|cookie|set-cookie|x-token|x-api-key|x-auth-token)(["']?\s*[:=]\s*["']?)[^\r\n"']*/gi,
    `$1$2${REDACTED}`,
  ],
  [/\b(Bearer|Basic|Token)\s+[A-Za-z0-9\-._~+/]+=*/g, `$1 ${REDACTED}`],
  // JSON web tokens (Argo CD session tokens are JWTs).
  [/\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, REDACTED],
  // "password": "..." in echoed JSON bodies.
  [
    /("(?:password|passwd|token|secret|apiToken|api_key|apiKey|bearerToken|access_token|refresh_token|id_token|serviceAccountToken)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi,
    `$1"${REDACTED}"`,
  ],
  // token=... in query strings and cookies (argocd.token=...).
  [
    /\b((?:argocd\.)?(?:password|passwd|token|secret|api_key|apikey|access_token|refresh_token|id_token))=[^&\s;,"']+/gi,
    `$1=${REDACTED}`,
  ],
  // user:password@ in URLs.
  [/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi, `$1${REDACTED}@`],
];

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Removes credentials from text before it leaves the process in an error
 * message or a log line. Holds the exact secret values of one upstream (static
 * ones from config plus session tokens learnt at runtime) and also applies
 * generic credential patterns.
 *
 * @public
 */
export class SecretScrubber {
  private readonly staticSecrets: string[];
  private dynamicSecrets: string[] = [];

  constructor(secrets: Iterable<string | undefined> = []) {
    this.staticSecrets = [];
    for (const secret of secrets) {
      if (secret && secret.length >= MIN_SECRET_LENGTH) {
        this.staticSecrets.push(secret);
      }
    }
  }

  /** Registers a secret learnt at runtime, such as a session token. */
  add(secret: string | undefined): void {
    if (!secret || secret.length < MIN_SECRET_LENGTH) {
      return;
    }
    if (
      this.staticSecrets.includes(secret) ||
      this.dynamicSecrets.includes(secret)
    ) {
      return;
    }
    this.dynamicSecrets = [...this.dynamicSecrets, secret].slice(
      -MAX_DYNAMIC_SECRETS,
    );
  }

  scrub(text: string): string {
    let result = text;
    // Longest first, so a secret that contains another is removed whole.
    const values = [...this.staticSecrets, ...this.dynamicSecrets].sort(
      (a, b) => b.length - a.length,
    );
    for (const value of values) {
      for (const variant of new Set([
        value,
        encodeURIComponent(value),
        JSON.stringify(value).slice(1, -1),
        Buffer.from(value, 'utf8').toString('base64'),
      ])) {
        result = result.replace(
          new RegExp(escapeRegExp(variant), 'g'),
          REDACTED,
        );
      }
    }
    for (const [pattern, replacement] of PATTERNS) {
      result = result.replace(pattern, replacement);
    }
    return result;
  }
}
