import {
  DocumentValidationError,
  type DocumentProblem,
} from '../yaml/keptnYaml';

/**
 * A problem in an SLO document: where it is and why it is rejected.
 *
 * `path` uses the document's own keys, e.g. `objectives[2].pass[0].criteria[1]`
 * (empty for the document as a whole); `line` and `column` are 1-based and
 * present when the position is known.
 *
 * @public
 */
export class SloValidationError extends DocumentValidationError {
  constructor(problem: DocumentProblem) {
    super('SLO', problem);
    this.name = 'SloValidationError';
  }
}

export { formatPath } from '../yaml/keptnYaml';
