import type { Handler, JunctionRequest } from '../pipeline/request.js'
import type { TokenInfo } from './token-info.js'

/** What an auth provider may use: a handler that reaches the network without auth (for token calls). */
export interface AuthContext {
  /** The transport beneath the auth middleware, for token requests. */
  send: Handler
  signal?: AbortSignal | undefined
}

/** Credentials for a connector; the only place secrets live. */
export interface AuthProvider {
  /** e.g. `basic`, `oauth2-client-credentials`. */
  readonly type: string
  /** Returns the request with credentials attached; may fetch or refresh a token first. */
  authorize(request: JunctionRequest, context: AuthContext): Promise<JunctionRequest>
  /**
   * Called once when the system rejects credentials that `authorize` attached (a 401). Returns
   * whether fresh credentials may now be had, so the request is worth replaying once.
   */
  invalidate?(rejected: JunctionRequest): boolean
  /** Token-based providers: the last token response's non-secret fields (Salesforce's `instanceUrl`). */
  tokenInfo?(): TokenInfo | undefined
  /** Every secret this provider holds now (passwords, keys, current tokens), for redaction. */
  secrets(): Iterable<string>
}
