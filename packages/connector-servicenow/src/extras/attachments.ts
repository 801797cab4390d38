import type { Readable } from 'node:stream'
import { headerValue, ValidationError } from '@junction/core'
import { z } from 'zod'
import { encodedQueryValue, tableName } from '../query/encoded-query.js'
import type { ServiceNowContext } from '../servicenow-context.js'
import { readBody } from '../servicenow-responses.js'

/** A file to attach: its name, MIME type and bytes (a stream is sent as it is read). */
export interface AttachmentUpload {
  fileName: string
  contentType: string
  body: Uint8Array | Readable | AsyncIterable<Uint8Array>
}

/** An attachment's metadata (`sys_attachment`), every value a string as the instance sends it. */
export type AttachmentMetadata = Record<string, string>

/** A download: the metadata from `X-Attachment-Metadata` when sent, and the body as a stream. */
export interface AttachmentDownload {
  metadata: AttachmentMetadata | undefined
  contentType: string | undefined
  body: Readable
}

const SYS_ID = /^[0-9a-f]{32}$/
const metadataSchema = z.record(z.string(), z.string())

/** `POST /api/now/attachment/file`: the raw bytes streamed, `Content-Type` the file's own (mandatory, sheet §6.2). */
export async function attach(
  ctx: ServiceNowContext,
  table: string,
  sysId: string,
  file: AttachmentUpload,
): Promise<AttachmentMetadata> {
  const id = checkedId(sysId)
  if (file.fileName === '' || file.contentType === '') {
    throw new ValidationError({
      message: 'servicenow attach: fileName and contentType are required',
      system: 'servicenow',
    })
  }
  const response = await ctx.request({
    method: 'POST',
    path: 'api/now/attachment/file',
    query: { table_name: tableName(table), table_sys_id: id, file_name: file.fileName },
    body: { type: 'raw', value: file.body, contentType: file.contentType },
    responseType: 'json',
  })
  return readBody(z.object({ result: metadataSchema }), response, 'attachment metadata').result
}

/** The attachments of a record (metadata only). */
export async function listAttachments(
  ctx: ServiceNowContext,
  table: string,
  sysId: string,
): Promise<AttachmentMetadata[]> {
  const response = await ctx.request({
    path: 'api/now/attachment',
    query: {
      sysparm_query: `table_name=${encodedQueryValue(tableName(table))}^table_sys_id=${checkedId(sysId)}`,
    },
    responseType: 'json',
  })
  return readBody(z.object({ result: z.array(metadataSchema) }), response, 'attachment metadata').result
}

/** `GET /api/now/attachment/{sys_id}/file`, streamed: the body is not buffered. */
export async function download(ctx: ServiceNowContext, attachmentId: string): Promise<AttachmentDownload> {
  const response = await ctx.request<Readable>({
    path: `api/now/attachment/${checkedId(attachmentId)}/file`,
    headers: { accept: '*/*' },
    responseType: 'stream',
  })
  const header = headerValue(response.headers, 'x-attachment-metadata')
  let metadata: AttachmentMetadata | undefined
  if (header !== undefined) {
    const parsed = metadataSchema.safeParse(safeJson(header))
    metadata = parsed.success ? parsed.data : undefined
  }
  return { metadata, contentType: headerValue(response.headers, 'content-type'), body: response.body }
}

/** `DELETE /api/now/attachment/{sys_id}`. */
export async function deleteAttachment(ctx: ServiceNowContext, attachmentId: string): Promise<void> {
  await ctx.request({ method: 'DELETE', path: `api/now/attachment/${checkedId(attachmentId)}` })
}

function checkedId(id: string): string {
  if (!SYS_ID.test(id))
    throw new ValidationError({
      message: 'servicenow: expected a sys_id (32 hex characters)',
      system: 'servicenow',
    })
  return id
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
