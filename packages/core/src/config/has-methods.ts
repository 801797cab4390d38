/** A duck-typed guard: `value` is an object with a function under each of `methods`. */
export const hasMethods =
  <T = unknown>(...methods: string[]) =>
  (value: unknown): value is T =>
    typeof value === 'object' &&
    value !== null &&
    methods.every((method) => typeof (value as Record<string, unknown>)[method] === 'function')
