import { createHash } from 'node:crypto'
import { HttpResponse, http, type RequestHandler } from 'msw'

/** Size of the `/big` response: large enough to span many chunks and exercise backpressure. */
export const BIG_BYTES = 5 * 1024 * 1024

/** The records `/records` serves, as JSON. */
export const RECORDS = {
  totalSize: 3,
  records: [
    { Id: '00Q000000000001', Email: 'ada@example.com' },
    { Id: '00Q000000000002', Email: 'grace@example.com' },
    { Id: '00Q000000000003', Email: 'edsger@example.com' },
  ],
}

/** What `/echo` reports about the request it received. */
export interface Echo {
  method: string
  path: string
  query: [string, string][]
  headers: Record<string, string>
  bodyText: string
  bodyBase64: string
}

/** What `/upload` reports about a multipart form: fields as text, files by name, type and content. */
export type UploadEcho = Record<string, string | { file: string; type: string; text: string }>

/** Byte `index` of the `/big` body: a pattern that a lost, doubled or reordered chunk breaks. */
function bigByte(index: number): number {
  return (index * 7 + (index >> 16)) % 251
}

/** SHA-256 of the whole `/big` body, to compare with what arrived. */
export function bigBodyDigest(): string {
  const hash = createHash('sha256')
  for (const chunk of bigChunks()) hash.update(chunk)
  return hash.digest('hex')
}

function* bigChunks(): Generator<Uint8Array> {
  const size = 64 * 1024
  for (let start = 0; start < BIG_BYTES; start += size) {
    const chunk = new Uint8Array(Math.min(size, BIG_BYTES - start))
    for (let offset = 0; offset < chunk.length; offset += 1) chunk[offset] = bigByte(start + offset)
    yield chunk
  }
}

/** One handler set that every bridge mode must serve identically; matches any origin. */
export function bridgeHandlers(): RequestHandler[] {
  return [
    http.all('*/echo', async ({ request }) => {
      const url = new URL(request.url)
      const bytes = Buffer.from(await request.arrayBuffer())
      const echo: Echo = {
        method: request.method,
        path: url.pathname,
        query: [...url.searchParams],
        headers: Object.fromEntries(request.headers),
        bodyText: bytes.toString('utf8'),
        bodyBase64: bytes.toString('base64'),
      }
      return HttpResponse.json(echo)
    }),
    http.post('*/upload', async ({ request }) => {
      const form = await request.formData()
      const echo: UploadEcho = {}
      for (const [name, value] of form) {
        echo[name] =
          typeof value === 'string' ? value : { file: value.name, type: value.type, text: await value.text() }
      }
      return HttpResponse.json(echo)
    }),
    http.get('*/cookies', () => {
      const headers = new Headers({ 'content-type': 'text/plain', 'x-trace': 'trace-1' })
      headers.append('set-cookie', 'sid=abc; Path=/; HttpOnly')
      headers.append('set-cookie', 'theme=dark; Path=/')
      return new HttpResponse('made', { status: 201, statusText: 'Made It', headers })
    }),
    http.get('*/big', () => {
      const chunks = bigChunks()
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          const next = chunks.next()
          if (next.done) controller.close()
          else controller.enqueue(next.value)
        },
      })
      return new HttpResponse(body, { headers: { 'content-type': 'application/octet-stream' } })
    }),
    http.all('*/records', () => HttpResponse.json(RECORDS)),
    http.get('*/moved', () => new HttpResponse(null, { status: 302, headers: { location: '/records' } })),
    http.get('*/broken', () => {
      throw new Error('the handler has a bug')
    }),
    http.get('*/dropped', () => HttpResponse.error()),
  ]
}
