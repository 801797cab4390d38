// ISO 3166 codes whose VAT prefix differs.
const VAT_PREFIX: Readonly<Record<string, string>> = { GR: 'EL' }

const alphanumeric = (raw: string): string =>
  raw
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[^A-Z0-9]/gu, '')

/**
 * The match key of a tax or VAT number, or `undefined`: spaces and punctuation stripped, upper-cased,
 * and prefixed with the country when it carries none (`123 456 789` in DE → `DE123456789`; Greece's
 * `GR` becomes the VAT prefix `EL`). Without a prefix or a country the bare number is the key, which
 * meets only other bare numbers. At least five characters, one a digit, or it is junk.
 */
export function normalizeTaxId(
  raw: string | null | undefined,
  country?: string | null | undefined,
): string | undefined {
  if (typeof raw !== 'string') return undefined
  const text = alphanumeric(raw)
  const split = /^([A-Z]{2})(.*\d.*)$/u.exec(text)
  const code = typeof country === 'string' ? country.trim().toUpperCase() : ''
  const prefix = split?.[1] ?? (/^[A-Z]{2}$/u.test(code) ? code : '')
  const body = split?.[2] ?? text
  if (body.length < 5 || !/\d/u.test(body)) return undefined
  return (VAT_PREFIX[prefix] ?? prefix) + body
}

/** The 9-digit D-U-N-S number (`15-048-3782` → `150483782`), or `undefined`; one digit repeated is a placeholder. */
export function normalizeDuns(raw: string | number | null | undefined): string | undefined {
  const text = typeof raw === 'number' && Number.isSafeInteger(raw) ? String(raw).padStart(9, '0') : raw
  if (typeof text !== 'string') return undefined
  const digits = text.normalize('NFKC').replace(/[\s.\-/]/gu, '')
  if (!/^\d{9}$/u.test(digits) || /^(\d)\1{8}$/u.test(digits)) return undefined
  return digits
}
