import { randomUUID } from 'node:crypto'
import { parseEncodedQuery } from '../encoded-query-parser.js'
import { dateTime, type ServiceNowTables, TableFault } from '../servicenow-tables.js'
import { count, empty, json } from './sim-response.js'

interface Stored {
  meta: Record<string, string>
  bytes: Buffer
}

/** The Attachment API (sheet §6.2): upload raw bytes, list, metadata, download, rename, delete. */
export class AttachmentApi {
  readonly #tables: ServiceNowTables
  readonly #user: string
  readonly #files = new Map<string, Stored>()

  constructor(tables: ServiceNowTables, user: string) {
    this.#tables = tables
    this.#user = user
  }

  /** The bytes of an attachment, for assertions. */
  bytes(sysId: string): Buffer | undefined {
    return this.#files.get(sysId)?.bytes
  }

  /** Answers `/api/now/attachment[/…]`. */
  async handle(request: Request, rest: string): Promise<Response> {
    const url = new URL(request.url)
    const method = request.method.toUpperCase()
    if (rest === 'file' && method === 'POST') return this.#upload(request, url)
    if (rest === 'upload' && method === 'POST') return this.#uploadForm(request, url)
    if (rest === '' && method === 'GET') return this.#list(url)
    const [sysId = '', sub] = rest.split('/')
    const stored = this.#files.get(sysId)
    if (stored === undefined)
      throw new TableFault(404, "Record doesn't exist or ACL restricts the record retrieval", null)
    if (sub === 'file' && method === 'GET') {
      return new Response(new Uint8Array(stored.bytes), {
        status: 200,
        headers: {
          'content-type': stored.meta.content_type ?? 'application/octet-stream',
          'x-attachment-metadata': JSON.stringify(stored.meta),
        },
      })
    }
    if (sub !== undefined) throw new TableFault(400, 'Requested URI does not represent any resource', null)
    if (method === 'GET') return json(200, { result: stored.meta })
    if (method === 'DELETE') {
      this.#files.delete(sysId)
      return empty(204)
    }
    throw new TableFault(405, 'Method not Supported', null)
  }

  // multipart/form-data: `table_name`, `table_sys_id`, then the file part with its own type (sheet §6.2).
  async #uploadForm(request: Request, url: URL): Promise<Response> {
    const form = await request.formData().catch(() => {
      throw new TableFault(
        400,
        'Failed to create the attachment. File part might be missing in the request.',
        null,
      )
    })
    const file = [...form.values()].find((value): value is File => typeof value !== 'string')
    const table = form.get('table_name')
    const recordId = form.get('table_sys_id')
    if (file === undefined || typeof table !== 'string' || typeof recordId !== 'string') {
      throw new TableFault(
        400,
        'Failed to create the attachment. File part might be missing in the request.',
        null,
      )
    }
    return this.#store(
      url,
      table,
      recordId,
      file.name,
      file.type || 'application/octet-stream',
      Buffer.from(await file.arrayBuffer()),
    )
  }

  async #upload(request: Request, url: URL): Promise<Response> {
    const params = url.searchParams
    const table = params.get('table_name')
    const recordId = params.get('table_sys_id')
    const fileName = params.get('file_name')
    const contentType = request.headers.get('content-type')
    if (!table || !recordId || !fileName) {
      throw new TableFault(
        400,
        'Failed to create the attachment. File part might be missing in the request.',
        null,
      )
    }
    // Content-Type is the file's own type and mandatory (sheet §6.2).
    if (!contentType) throw new TableFault(400, 'Content-Type header is mandatory', null)
    return this.#store(url, table, recordId, fileName, contentType, Buffer.from(await request.arrayBuffer()))
  }

  #store(
    url: URL,
    table: string,
    recordId: string,
    fileName: string,
    contentType: string,
    bytes: Buffer,
  ): Response {
    this.#tables.find(table, recordId)
    const sysId = randomUUID().replaceAll('-', '')
    const now = dateTime(new Date())
    const meta: Record<string, string> = {
      sys_id: sysId,
      table_name: table,
      table_sys_id: recordId,
      file_name: fileName,
      content_type: contentType,
      size_bytes: String(bytes.length),
      download_link: `${url.origin}/api/now/attachment/${sysId}/file`,
      sys_created_on: now,
      sys_created_by: this.#user,
      sys_updated_on: now,
      sys_updated_by: this.#user,
      sys_mod_count: '0',
    }
    this.#files.set(sysId, { meta, bytes })
    return json(201, { result: meta }, { location: `${url.origin}/api/now/attachment/${sysId}` })
  }

  #list(url: URL): Response {
    const params = url.searchParams
    const conditions = parseEncodedQuery(params.get('sysparm_query') ?? '').groups.flat(2)
    const all = [...this.#files.values()].filter((file) =>
      conditions.every(
        (condition) => condition.operator !== '=' || file.meta[condition.field] === condition.value,
      ),
    )
    const offset = count(params.get('sysparm_offset'), 0)
    // The attachment list defaults to 1000 rows (sheet §3.1).
    const limit = count(params.get('sysparm_limit'), 1000)
    return json(
      200,
      { result: all.slice(offset, offset + limit).map((file) => file.meta) },
      { 'x-total-count': String(all.length) },
    )
  }
}
