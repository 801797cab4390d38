/** A REST error the org answers with: status plus one `{errorCode, message, fields}` entry. */
export class ApiFault extends Error {
  override readonly name = 'ApiFault'
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly fields: readonly string[] = [],
  ) {
    super(message)
  }
}
