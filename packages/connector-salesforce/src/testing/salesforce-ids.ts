// Key prefixes of common objects (sheet §2.6); anything else gets a custom-object-like prefix.
/** Key prefixes of common sObjects. */
export const KEY_PREFIXES: Readonly<Record<string, string>> = {
  Account: '001',
  Contact: '003',
  User: '005',
  Opportunity: '006',
  Lead: '00Q',
  Case: '500',
  Organization: '00D',
  RecordType: '012',
  BulkJob: '750',
}
const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345'
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** An 18-character record id with the sObject's key `prefix`, for the simulator's `sequence`-th record. */
export function recordId(prefix: string, sequence: number): string {
  let serial = ''
  for (let rest = sequence; serial.length < 10; rest = Math.floor(rest / 62))
    serial = BASE62.charAt(rest % 62) + serial
  return withChecksum(`${prefix}5g${serial}`)
}

/**
 * The 18-character form of a 15-character id: three groups of five, each giving a 5-bit number with
 * bit i set when character i is upper case (third-party algorithm, UNVERIFIED against the official one).
 */
export function withChecksum(id15: string): string {
  let suffix = ''
  for (let group = 0; group < 3; group++) {
    let bits = 0
    for (let i = 0; i < 5; i++) {
      if (/[A-Z]/.test(id15.charAt(group * 5 + i))) bits |= 1 << i
    }
    suffix += CHECKSUM_ALPHABET.charAt(bits)
  }
  return id15 + suffix
}
