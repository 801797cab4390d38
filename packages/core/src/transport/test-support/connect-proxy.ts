import { createServer } from 'node:http'
import { connect } from 'node:net'
import type { Duplex } from 'node:stream'
import { type LoopbackServer, listen } from './loopback-server.js'

/** A loopback proxy that tunnels CONNECT requests and remembers each tunnel's target. */
export async function connectProxy(): Promise<LoopbackServer & { tunnels: string[] }> {
  const tunnels: string[] = []
  const sockets = new Set<Duplex>()
  const server = createServer((_request, response) => {
    response.writeHead(405).end()
  })
  server.on('connect', (request, client, head) => {
    const target = request.url ?? ''
    tunnels.push(target)
    const separator = target.lastIndexOf(':')
    const upstream = connect(Number(target.slice(separator + 1)), target.slice(0, separator), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    sockets.add(client).add(upstream)
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
  })
  const proxy = await listen(server, 'http')
  return {
    ...proxy,
    tunnels,
    // Tunnels are no longer HTTP connections, so the server's own close would wait for them.
    close: () => {
      for (const socket of sockets) socket.destroy()
      return proxy.close()
    },
  }
}
