/** What a token response said besides its secrets: for adapters (Salesforce needs `instanceUrl`) and logs. */
export interface TokenInfo {
  tokenType: string | undefined
  scope: string | undefined
  /** Salesforce: the base URL for every API call. */
  instanceUrl: string | undefined
  /** When the server says it issued the token (Salesforce's `issued_at`). */
  issuedAt: Date | undefined
  /** When this client will stop using the token: from `expires_in`, else from `defaultTokenLifetimeMs`. */
  expiresAt: Date
  /** The response's other fields (e.g. Salesforce's identity URL `id`), every token-bearing field removed. */
  fields: Readonly<Record<string, unknown>>
}
