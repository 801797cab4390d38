/** A structured logger; pino's `Logger` satisfies it. Junction is silent unless one is injected. */
export interface Logger {
  debug(object: Record<string, unknown>, message?: string): void
  info(object: Record<string, unknown>, message?: string): void
  warn(object: Record<string, unknown>, message?: string): void
  error(object: Record<string, unknown>, message?: string): void
}

const ignore = (): void => undefined

/** The default logger: drops everything. */
export const silentLogger: Logger = { debug: ignore, info: ignore, warn: ignore, error: ignore }
