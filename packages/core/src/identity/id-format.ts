import { ValidationError } from '../errors/error-kinds.js'

/**
 * Turns a system's id into the key the identity store indexes it by, so that two spellings of one
 * record (Salesforce's 15- and 18-character forms, SAP keys with and without leading zeros) meet.
 * The store keeps and returns the id as first linked; only lookups go through the format.
 */
export type IdFormat = (id: string) => string

const invalidId = (system: string, problem: string): ValidationError =>
  new ValidationError({ message: `invalid ${system} id: ${problem}`, system })

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345'

const salesforceSuffix = (id15: string): string => {
  let suffix = ''
  for (let group = 0; group < 3; group++) {
    let bits = 0
    for (let position = 0; position < 5; position++) {
      const char = id15.charCodeAt(group * 5 + position)
      if (char >= 65 && char <= 90) bits |= 1 << position
    }
    suffix += SUFFIX_ALPHABET[bits]
  }
  return suffix
}

/**
 * Salesforce ids: 15 characters are case-sensitive, 18 are not (the suffix encodes the case of the
 * first 15). Both become the 18-character id with the case restored, so `001…AbC` (15), its 18-character
 * form, and that form in lower case all resolve to one record.
 */
export const salesforceIdFormat: IdFormat = (id) => {
  const trimmed = id.trim()
  if (!/^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/.test(trimmed)) {
    throw invalidId('salesforce', 'expected 15 or 18 letters and digits')
  }
  if (trimmed.length === 15) return trimmed + salesforceSuffix(trimmed)
  const suffix = trimmed.slice(15).toUpperCase()
  let restored = ''
  for (let group = 0; group < 3; group++) {
    const bits = SUFFIX_ALPHABET.indexOf(suffix.charAt(group))
    if (bits < 0) throw invalidId('salesforce', 'the 3-character suffix is not a checksum')
    for (let position = 0; position < 5; position++) {
      const char = trimmed.charAt(group * 5 + position)
      restored += bits & (1 << position) ? char.toUpperCase() : char.toLowerCase()
    }
  }
  return restored + suffix
}

/**
 * SAP keys such as business partner numbers (Edm.String, length 10): numeric keys meet with and
 * without the leading zeros of SAP's ALPHA conversion (`1000123` ~ `0001000123`); other keys are
 * trimmed and upper-cased.
 */
export const sapKeyFormat: IdFormat = (id) => {
  const trimmed = id.trim()
  if (trimmed === '') throw invalidId('sap', 'empty key')
  if (/^\d+$/.test(trimmed)) return trimmed.replace(/^0+(?=\d)/, '')
  return trimmed.toUpperCase()
}

/** ServiceNow `sys_id`: 32 hexadecimal characters, compared in lower case. */
export const serviceNowSysIdFormat: IdFormat = (id) => {
  const trimmed = id.trim().toLowerCase()
  if (!/^[0-9a-f]{32}$/.test(trimmed)) throw invalidId('servicenow', 'expected a 32-character hex sys_id')
  return trimmed
}

/** The default for systems without a format: surrounding whitespace removed, case kept. */
export const exactIdFormat: IdFormat = (id) => id.trim()
