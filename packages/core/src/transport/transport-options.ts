import { z } from 'zod'

const pem = z.union([
  z.string().min(1),
  z.custom<Buffer>((value) => Buffer.isBuffer(value), 'expected a Buffer'),
])
const pems = z.union([pem, z.array(pem).min(1)])

/** TLS settings for the connection to the system (a private CA, or a client certificate for mTLS). */
export const tlsOptionsSchema = z
  .strictObject({
    /** Certificate authorities to trust instead of Node's bundled ones (PEM). */
    ca: pems.optional(),
    /** Client certificate chain for mTLS (PEM); needs `key`. */
    cert: pems.optional(),
    /** Private key of the client certificate (PEM). */
    key: pems.optional(),
    /** Passphrase of an encrypted `key`. */
    passphrase: z.string().optional(),
    /** Whether to refuse certificates that do not verify; true unless set to false. */
    rejectUnauthorized: z.boolean().optional(),
    /** Server name for SNI and certificate checks, when it differs from the URL's host. */
    servername: z.string().min(1).optional(),
  })
  .refine((tls) => (tls.cert === undefined) === (tls.key === undefined), {
    message: 'cert and key must be given together',
    path: ['key'],
  })

/** How the transport connects, how long it waits, and how much it reads. */
export const transportOptionsSchema = z.strictObject({
  /** Time to establish the TCP (and TLS) connection. */
  connectTimeoutMs: z.number().int().positive().default(10_000),
  /** Time from sending the request to receiving the response headers. */
  headersTimeoutMs: z.number().int().positive().default(30_000),
  /** Longest silence between two chunks of the response body. */
  bodyTimeoutMs: z.number().int().positive().default(30_000),
  /** Overall deadline of one call, connection to last byte; a request's `timeoutMs` overrides it. */
  timeoutMs: z.number().int().positive().default(60_000),
  /** Largest response body (after decompression) the transport will hold or stream. */
  maxResponseBytes: z
    .number()
    .int()
    .positive()
    .default(64 * 1024 * 1024),
  /** How long an idle keep-alive connection stays open (undici's default when unset). */
  keepAliveTimeoutMs: z.number().int().positive().optional(),
  /** Most connections open to one origin at a time (unlimited when unset). */
  connections: z.number().int().positive().optional(),
  /**
   * `'env'` honours HTTPS_PROXY / HTTP_PROXY / NO_PROXY; a URL sends everything through that proxy;
   * `false` connects directly.
   */
  proxy: z.union([z.literal('env'), z.url({ protocol: /^https?$/ }), z.literal(false)]).default('env'),
  tls: tlsOptionsSchema.optional(),
  /** Ask for and decode gzip, deflate and br response bodies. */
  decompress: z.boolean().default(true),
  /** The `user-agent` header sent unless a request sets its own. */
  userAgent: z.string().min(1).default('junction'),
})

/** Transport options as a caller writes them (defaults optional). */
export type TransportOptions = z.input<typeof transportOptionsSchema>

/** Transport options after validation, defaults filled in. */
export type ResolvedTransportOptions = z.output<typeof transportOptionsSchema>
