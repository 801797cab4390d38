import type { SinkChange, SyncSink } from '../sync/sync-sink.js'
import type { MessageBus } from './message-bus.js'

/**
 * A `sync` sink that publishes each change onto a bus topic (header `key` = the change's key), so a
 * connector's change feed reaches every subscriber through one integration point. Delivery is at least
 * once: a batch replayed after a crash is published again, so subscribers must be idempotent by key.
 */
export function busSink<T>(bus: MessageBus, topic: string): SyncSink<T> {
  return {
    async write(changes: ReadonlyArray<SinkChange<T>>, context) {
      for (const change of changes) {
        await bus.publish(topic, { ...change, entity: context.entity }, { headers: { key: change.key } })
      }
    },
  }
}
