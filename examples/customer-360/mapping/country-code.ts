import { converter, transformFailure, transformSuccess } from '@junction/core'

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'

// Every region name Intl knows in English, folded, → its ISO 3166-1 alpha-2 code.
const byName = (() => {
  const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' })
  const codes = new Map<string, string>()
  for (const first of ALPHABET) {
    for (const second of ALPHABET) {
      // Aliases (`UK`, `DD`, `FX`) name a country too; the canonical code is the one to keep.
      const code = (Intl.getCanonicalLocales(`und-${first}${second}`)[0] ?? '').slice(4)
      const name = names.of(code)
      if (name !== undefined && code.length === 2) codes.set(fold(name), code)
    }
  }
  return codes
})()

function fold(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/gu, '')
    .toLowerCase()
    .replace(/[^a-z]/gu, '')
}

/**
 * A country as users pick it in Salesforce and ServiceNow (`United Kingdom`, `Germany`) or as SAP keys
 * it (`GB`) → ISO 3166-1 alpha-2, which the phone and tax-id rules need to read national forms.
 */
export const countryCode = converter<string>('countryCode', (value) => {
  if (typeof value !== 'string') return transformFailure('invalid_type', 'expected a country name or code')
  const trimmed = value.trim()
  if (/^[A-Za-z]{2}$/u.test(trimmed)) {
    const code = (Intl.getCanonicalLocales(`und-${trimmed}`)[0] ?? '').slice(4)
    return transformSuccess(code.length === 2 ? code : trimmed.toUpperCase())
  }
  const code = byName.get(fold(trimmed))
  return code === undefined
    ? transformFailure('invalid_format', 'expected an ISO 3166 country code or an English country name')
    : transformSuccess(code)
})
