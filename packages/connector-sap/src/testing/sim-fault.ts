/** An OData error the simulated service answers with (sheet §5.1): status, message class and text. */
export class ODataFault extends Error {
  override readonly name = 'ODataFault'
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message)
  }
}
