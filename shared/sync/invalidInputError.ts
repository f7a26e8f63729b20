/** One problem of a request: where it is and what is wrong. */
export interface IssueDetail {
  /** Where: a dotted path into the request body, or `path.<param>` / `query.<name>`. */
  path: string;
  message: string;
}

/** The request is well-formed but breaks the rules: every problem listed with its path (HTTP 422). */
export class InvalidInputError extends Error {
  readonly status = 422;
  constructor(readonly issues: IssueDetail[]) {
    super(issues.map((issue) => `${issue.path || '(body)'}: ${issue.message}`).join('; '));
    this.name = 'InvalidInputError';
  }
}
