import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** PEM material for TLS tests: a self-signed server certificate and a CA-issued client certificate. */
export interface TestCertificates {
  /** Self-signed, for 127.0.0.1 and localhost; trusting it means passing it as `ca`. */
  server: { cert: string; key: string }
  /** The CA that issued `client`; a server that requires client certificates trusts it. */
  clientCa: string
  client: { cert: string; key: string }
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']

/** Generates fresh certificates with the machine's `openssl` (valid for one day). */
export function createTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'junction-tls-'))
  const file = (name: string) => join(dir, name)
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' })
  try {
    openssl(
      'req',
      '-x509',
      ...EC_KEY,
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      file('server.key'),
      '-out',
      file('server.crt'),
    )
    openssl(
      'req',
      '-x509',
      ...EC_KEY,
      '-days',
      '1',
      '-subj',
      '/CN=Junction Test Client CA',
      '-keyout',
      file('ca.key'),
      '-out',
      file('ca.crt'),
    )
    openssl(
      'req',
      ...EC_KEY,
      '-subj',
      '/CN=junction-client',
      '-keyout',
      file('client.key'),
      '-out',
      file('client.csr'),
    )
    writeFileSync(file('client.ext'), 'extendedKeyUsage=clientAuth\n')
    openssl(
      'x509',
      '-req',
      '-in',
      file('client.csr'),
      '-CA',
      file('ca.crt'),
      '-CAkey',
      file('ca.key'),
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      file('client.ext'),
      '-out',
      file('client.crt'),
    )
    const read = (name: string) => readFileSync(file(name), 'utf8')
    return {
      server: { cert: read('server.crt'), key: read('server.key') },
      clientCa: read('ca.crt'),
      client: { cert: read('client.crt'), key: read('client.key') },
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
