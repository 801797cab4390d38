import type { SapConnector } from '@junction/connector-sap'
import type { Change, ChangesOptions, Connector, EntityRecord } from '@junction/core'

/** Orders read ahead per item query: one `A_SalesOrderItem` read per this many changed orders. */
const CHUNK = 50

/**
 * The sales order connector as a sync source whose `A_SalesOrder` changes carry their lines under
 * `to_Item`. The SAP connector's `changes()` reads headers only (it takes no `$expand`), so the items of
 * each chunk of changed orders are read with one query; every change keeps its own cursor, so the
 * checkpoint `sync` saves is exactly the connector's.
 */
export function ordersWithItems(orders: SapConnector): Connector {
  async function* changes(entity: string, options?: ChangesOptions): AsyncIterable<Change> {
    if (entity !== 'A_SalesOrder') {
      yield* orders.changes(entity, options)
      return
    }
    let chunk: Change[] = []
    for await (const change of orders.changes(entity, options)) {
      chunk.push(change)
      if (chunk.length === CHUNK) {
        yield* await withItems(orders, chunk, options)
        chunk = []
      }
    }
    if (chunk.length > 0) yield* await withItems(orders, chunk, options)
  }
  // The connector is a plain object of closures, so a copy with one operation replaced is a connector.
  return { ...orders, changes }
}

async function withItems(
  orders: SapConnector,
  chunk: readonly Change[],
  options: ChangesOptions | undefined,
): Promise<Change[]> {
  const ids = chunk.filter((change) => change.record !== undefined).map((change) => change.id)
  const byOrder = new Map<string, EntityRecord[]>()
  if (ids.length > 0) {
    const items = orders.query(
      'A_SalesOrderItem',
      {
        where: { SalesOrder: { in: ids } },
        orderBy: [{ field: 'SalesOrder' }, { field: 'SalesOrderItem' }],
      },
      { signal: options?.signal },
    )
    for await (const item of items) {
      const order = String(item.SalesOrder)
      byOrder.set(order, [...(byOrder.get(order) ?? []), item])
    }
  }
  return chunk.map((change) =>
    change.record === undefined
      ? change
      : { ...change, record: { ...change.record, to_Item: byOrder.get(change.id) ?? [] } },
  )
}
