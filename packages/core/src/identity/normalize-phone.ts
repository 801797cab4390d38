import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js'

/**
 * The E.164 form of a phone number (`+442079460958`), or `undefined` when it is not a valid number.
 * International forms (`+44`, `0044`, `+44 (0)20…`, `tel:` URIs, full-width digits, extensions) parse
 * on their own; national forms (`020 7946 0958`) need `region`, the country the number was entered in.
 */
export function normalizePhone(
  raw: string | null | undefined,
  region?: CountryCode | undefined,
): string | undefined {
  if (typeof raw !== 'string') return undefined
  // 00 is the ITU international prefix almost everywhere; libphonenumber only reads it for some regions.
  const text = raw
    .normalize('NFKC')
    .trim()
    .replace(/^tel:/iu, '')
    .replace(/^00(?=[1-9])/u, '+')
  if (!/\d/u.test(text)) return undefined
  const phone = parsePhoneNumberFromString(text, region)
  return phone?.isValid() ? phone.number : undefined
}
