import { invalid, type Transformer, type TransformResult, valid } from './transformer.js'

/**
 * A field-level transformer: takes any value (data is never trusted) and returns a value or issues.
 * Its `inverse`, when present, turns the converted value back into the wire format for write-back.
 */
export interface Converter<Out> extends Transformer<unknown, Out> {
  readonly inverse?: Transformer<Out, unknown> | undefined
}

/** What a converter's body returns: a result, built with `valid()` / `invalid()`. */
export type ConvertFunction<Out> = (value: unknown) => TransformResult<Out>

/**
 * Builds a converter; a body that throws is caught and becomes a `converter_threw` issue.
 *
 * @example
 * const upper = converter('upper', (v) => (typeof v === 'string' ? valid(v.toUpperCase()) : invalid('invalid_type', 'expected text')))
 */
export function converter<Out>(
  name: string,
  body: ConvertFunction<Out>,
  inverse?: Transformer<Out, unknown> | ConvertFunction<unknown>,
): Converter<Out> {
  const back = typeof inverse === 'function' ? converter(`${name}⁻¹`, inverse) : inverse
  return {
    name,
    transform: (value) => guarded(name, () => body(value)),
    ...(back ? { inverse: back } : {}),
  }
}

/** The identity converter's body: used as the inverse of converters that only normalize. */
export const unchanged: ConvertFunction<unknown> = (value) => valid(value)

/** Runs a step and turns a throw into an issue, so one bad converter cannot take down a batch. */
export function guarded<T>(name: string, run: () => TransformResult<T>): TransformResult<T> {
  try {
    return run()
  } catch (error) {
    return invalid('converter_threw', `${name} threw: ${describeThrown(error)}`)
  }
}

function describeThrown(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 200)
  return typeof error
}
