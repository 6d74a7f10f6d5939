import {
  DocumentValidationError,
  type DocumentProblem,
} from '../yaml/keptnYaml';

/**
 * A problem in an `sli.yaml` document: where it is and why it is rejected.
 *
 * `path` uses the document's own keys, e.g. `indicators.error_rate` (empty for
 * the document as a whole); `line` and `column` are 1-based and present when
 * the position is known.
 *
 * @public
 */
export class SliValidationError extends DocumentValidationError {
  constructor(problem: DocumentProblem) {
    super('SLI definitions', problem);
    this.name = 'SliValidationError';
  }
}

/**
 * A PromQL template cannot be compiled or rendered safely: a syntax problem in
 * the template, an unknown placeholder, a placeholder where no value can be put
 * safely, or a value that is missing or invalid for its placeholder.
 *
 * `placeholder` names the placeholder as written (e.g. `$SERVICE`,
 * `$LABEL.team`) when the problem is about one; `offset` is the 0-based
 * position in the template.
 *
 * @public
 */
export class SliTemplateError extends Error {
  readonly placeholder?: string;
  readonly offset?: number;
  readonly reason: string;

  constructor(options: {
    reason: string;
    placeholder?: string;
    offset?: number;
  }) {
    super(
      options.placeholder
        ? `Placeholder ${options.placeholder}: ${options.reason}`
        : `Invalid PromQL template: ${options.reason}`,
    );
    this.name = 'SliTemplateError';
    this.reason = options.reason;
    this.placeholder = options.placeholder;
    this.offset = options.offset;
  }
}
