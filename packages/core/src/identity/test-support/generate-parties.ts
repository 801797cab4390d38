import type { MatchRecord } from '../match-record.js'

/** Options for `generateParties`. */
export interface GeneratePartiesOptions {
  /** Records per side. */
  size: number
  /** Share of B's records that are A's entities rendered differently (default 0.3). */
  overlap?: number
  /** Share of each field left empty, as in real CRM exports (default 0.4). */
  missing?: number
  seed?: number
}

/** Two generated record sets and how many of B's records are really A's entities. */
export interface GeneratedParties {
  readonly a: MatchRecord[]
  readonly b: MatchRecord[]
  readonly duplicates: number
}

// mulberry32: a small seeded generator, so that runs are repeatable.
const random = (seed: number) => {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let value = state
    value = Math.imul(value ^ (value >>> 15), value | 1)
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61)
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296
  }
}

const SYLLABLES = [
  'ac',
  'me',
  'no',
  'va',
  'tri',
  'lux',
  'bor',
  'gen',
  'sol',
  'tek',
  'mar',
  'vin',
  'del',
  'ka',
  'zu',
  'ro',
  'fer',
  'lin',
  'quo',
  'sta',
  'ber',
  'wol',
  'mü',
  'hé',
  'ça',
  'gra',
  'po',
  'ni',
  'ex',
  'ul',
]
const WORDS = [
  'Systems',
  'Logistics',
  'Foods',
  'Bau',
  'Energie',
  'Consulting',
  'Trading',
  'Services',
  'Holdings',
  'Industries',
  'Pharma',
  'Metall',
  'Textil',
  'Digital',
  'Partners',
]
const SUFFIXES: Record<string, string[]> = {
  DE: ['GmbH', 'AG', 'GmbH & Co. KG', 'KG'],
  FR: ['SA', 'SAS', 'S.A.R.L.', 'SARL'],
  GB: ['Ltd', 'Limited', 'PLC', 'Ltd.'],
  US: ['Inc.', 'Inc', 'Corp.', 'LLC', 'Corporation'],
}
const COUNTRIES = ['DE', 'FR', 'GB', 'US'] as const
type Country = (typeof COUNTRIES)[number]

interface Party {
  readonly country: Country
  readonly name: string
  readonly postcode: string
  readonly email: string
  readonly phoneDigits: string
  readonly vat: string
  readonly duns: string
}

/**
 * Generates two sides of company records (DE/FR/GB/US) with an `overlap` share of B being A's
 * entities written the way another system would write them: other case, legal form, phone format
 * (`+44`, `0044`, `(0)`, national), spaced tax numbers, dashed DUNS, and `missing` fields left empty.
 */
export function generateParties(options: GeneratePartiesOptions): GeneratedParties {
  const next = random(options.seed ?? 42)
  const overlap = options.overlap ?? 0.3
  const missing = options.missing ?? 0.4
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T
  const digits = (count: number): string => {
    let text = ''
    for (let index = 0; index < count; index++) text += Math.floor(next() * 10)
    return text
  }
  const present = (): boolean => next() >= missing
  // Identifiers are unique per generated entity, so any match between two entities is a rule's error.
  const issued = new Set<string>()
  const unique = (make: () => string): string => {
    for (;;) {
      const value = make()
      if (!issued.has(value)) {
        issued.add(value)
        return value
      }
    }
  }

  const party = (): Party => {
    const country = pick(COUNTRIES)
    const stem = pick(SYLLABLES) + pick(SYLLABLES) + pick(SYLLABLES)
    const core = `${stem.charAt(0).toUpperCase()}${stem.slice(1)} ${pick(WORDS)}`
    const name = `${core} ${pick(SUFFIXES[country] ?? [])}`
    const postcode =
      country === 'GB'
        ? `${pick(['SW', 'EC', 'N', 'M', 'B'])}${1 + Math.floor(next() * 20)} ${digits(1)}${pick(['AA', 'BD', 'XY', 'QT'])}`
        : country === 'US'
          ? digits(5)
          : `${1 + Math.floor(next() * 9)}${digits(4)}`
    const phoneDigits = unique(() =>
      country === 'GB'
        ? `207${digits(7)}`
        : country === 'DE'
          ? `30${digits(8)}`
          : country === 'FR'
            ? `1${digits(8)}`
            : `${pick(['212', '415', '646'])}${2 + Math.floor(next() * 8)}${digits(6)}`,
    )
    const domain = stem.normalize('NFKD').replace(/[^a-z]/gu, '')
    return {
      country,
      name,
      postcode,
      email: unique(
        () => `${pick(['info', 'sales', 'ap', 'orders'])}.${digits(4)}@${domain}${digits(2)}.com`,
      ),
      phoneDigits,
      vat: `${country === 'US' ? '' : country}${unique(() => `vat${digits(9)}`).slice(3)}`,
      duns: unique(() => `duns${digits(9)}`).slice(4),
    }
  }

  const callingCode: Record<Country, string> = { DE: '49', FR: '33', GB: '44', US: '1' }
  const asA = (entity: Party, id: string): MatchRecord => ({
    ref: { system: 'crm', id },
    name: entity.name,
    postcode: entity.postcode,
    country: entity.country,
    email: present() ? entity.email : null,
    phone: present() ? `+${callingCode[entity.country]} ${entity.phoneDigits}` : null,
    taxId: present() ? entity.vat : null,
    duns: present() ? entity.duns : null,
  })
  const asB = (entity: Party, id: string): MatchRecord => {
    const code = callingCode[entity.country]
    const phone = pick([
      `00${code} ${entity.phoneDigits}`,
      `+${code} (0)${entity.phoneDigits}`,
      `${entity.country === 'US' ? '' : '0'}${entity.phoneDigits}`,
    ])
    const core = entity.name.slice(0, entity.name.indexOf(' ', entity.name.indexOf(' ') + 1))
    // A typo: two neighbouring letters swapped, which only the fuzzy rule forgives.
    const typo = `${core.slice(0, 2)}${core.charAt(3)}${core.charAt(2)}${core.slice(4)}`
    return {
      ref: { system: 'erp', id },
      name: pick([entity.name.toUpperCase(), `${core} ${pick(SUFFIXES[entity.country] ?? [])}`, core, typo]),
      postcode: next() < 0.1 ? null : entity.postcode.toLowerCase(),
      country: entity.country,
      email: present() ? `  ${entity.email.toUpperCase()} ` : null,
      phone: present() ? phone : null,
      taxId: present() ? entity.vat.replace(/(\d{3})/gu, '$1 ').trim() : null,
      duns: present()
        ? `${entity.duns.slice(0, 2)}-${entity.duns.slice(2, 5)}-${entity.duns.slice(5)}`
        : null,
    }
  }

  const entitiesA = Array.from({ length: options.size }, party)
  const a = entitiesA.map((entity, index) => asA(entity, `A${index}`))
  const duplicates = Math.round(options.size * overlap)
  const b = Array.from({ length: options.size }, (_, index) =>
    asB(index < duplicates ? (entitiesA[index] ?? party()) : party(), `B${index}`),
  )
  return { a, b, duplicates }
}
