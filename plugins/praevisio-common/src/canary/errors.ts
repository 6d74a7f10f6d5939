/**
 * A problem in a canary configuration or judge input: the field path
 * (e.g. `metrics[1].effectSize.allowedIncrease`) and the reason.
 *
 * @public
 */
export class CanaryValidationError extends Error {
  readonly path: string;
  readonly reason: string;

  constructor(path: string, reason: string) {
    super(`Invalid canary configuration at ${path || '(root)'}: ${reason}`);
    this.name = 'CanaryValidationError';
    this.path = path;
    this.reason = reason;
  }
}
