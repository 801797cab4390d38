/** The issue codes core's mappings and converters produce; callers and reports switch on these. */
export const transformIssueCodes = [
  /** No value: absent, `null`, `""` or only whitespace. */
  'missing',
  /** The wrong kind of value, e.g. an object where text was expected. */
  'invalid_type',
  /** Text that does not follow the expected format, e.g. a malformed date. */
  'invalid_format',
  /** A well-formed value outside the allowed range, e.g. an Int64 overflow or a huge exponent. */
  'out_of_range',
  /** A value outside an allowed set, e.g. a picklist value. */
  'not_allowed',
  /** An identifier whose check characters do not match (Salesforce 18-character ids). */
  'invalid_checksum',
  /** A number that cannot be represented exactly, e.g. an Int64 delivered as a JSON number above 2^53. */
  'precision_loss',
  /** A schema rule not covered by a more specific code (e.g. a zod refinement). */
  'invalid',
  /** A converter or computed field threw; the error was caught and became this issue. */
  'converter_threw',
] as const

/** A stable issue code: core's own, or one a team adds for its converters. */
export type TransformIssueCode = (typeof transformIssueCodes)[number] | (string & {})
