import type { Dispatcher } from 'undici'
import type { BridgeController } from './dispatch-controller.js'

/** Response headers as undici's new-style callbacks receive them: lower-case, repeats as arrays. */
export type ResponseHeaderMap = Record<string, string | string[]>

/** The one handler surface an in-process exchange drives, whichever style the caller passed. */
export interface ControllerHandler {
  onRequestStart(controller: BridgeController): void
  onResponseStart(
    controller: BridgeController,
    statusCode: number,
    headers: ResponseHeaderMap,
    statusMessage: string,
  ): void
  onResponseData(controller: BridgeController, chunk: Buffer): void
  onResponseEnd(controller: BridgeController): void
  onResponseError(controller: BridgeController, error: Error): void
}

/**
 * Adapts a dispatch handler to the controller style. undici 7's own `request()` passes a legacy
 * handler (`onConnect`/`onHeaders`/`onData`/`onComplete`/`onError`) while composed interceptors pass
 * new-style ones; undici's own WrapHandler is internal (not exported), hence this small copy of it.
 */
export function toControllerHandler(handler: Dispatcher.DispatchHandler): ControllerHandler {
  if (isControllerStyle(handler)) {
    return {
      onRequestStart: (controller) => handler.onRequestStart?.(controller, {}),
      onResponseStart: (controller, statusCode, headers, statusMessage) =>
        handler.onResponseStart?.(controller, statusCode, headers, statusMessage),
      onResponseData: (controller, chunk) => handler.onResponseData?.(controller, chunk),
      onResponseEnd: (controller) => handler.onResponseEnd?.(controller, {}),
      onResponseError: (controller, error) => handler.onResponseError?.(controller, error),
    }
  }
  return {
    onRequestStart: (controller) => handler.onConnect?.((reason) => controller.abort(reason)),
    onResponseStart: (controller, statusCode, headers, statusMessage) => {
      handler.onResponseStarted?.()
      const raw = rawHeaders(headers)
      if (handler.onHeaders?.(statusCode, raw, () => controller.resume(), statusMessage) === false) {
        controller.pause()
      }
    },
    onResponseData: (controller, chunk) => {
      if (handler.onData?.(chunk) === false) controller.pause()
    },
    onResponseEnd: () => handler.onComplete?.([]),
    onResponseError: (_controller, error) => handler.onError?.(error),
  }
}

/** undici itself checks `onRequestStart` alone; any new-style callback is taken as the sign here. */
function isControllerStyle(handler: Dispatcher.DispatchHandler): boolean {
  return [
    handler.onRequestStart,
    handler.onResponseStart,
    handler.onResponseData,
    handler.onResponseEnd,
    handler.onResponseError,
  ].some((callback) => typeof callback === 'function')
}

/** The flat `[name, value, name, value…]` form legacy handlers parse; repeated headers repeat. */
function rawHeaders(headers: ResponseHeaderMap): Buffer[] {
  const raw: Buffer[] = []
  for (const [name, value] of Object.entries(headers)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      raw.push(Buffer.from(name, 'latin1'), Buffer.from(item, 'latin1'))
    }
  }
  return raw
}
