import { distance } from 'fastest-levenshtein'
import type { CountryCode } from 'libphonenumber-js'
import type { MatchRecord } from './match-record.js'
import type { MatchRule, RuleKey } from './match-rule.js'
import { normalizeEmail } from './normalize-email.js'
import { normalizeName, normalizePostcode } from './normalize-name.js'
import { normalizePhone } from './normalize-phone.js'
import { normalizeDuns, normalizeTaxId } from './normalize-registry-number.js'

/**
 * Confidence per rule, from how often a shared key means the same entity in CRM/ERP data:
 * a tax/VAT number is issued to one legal entity (0.98); D-U-N-S likewise, though reused across
 * branches more often (0.97); an email is usually one person or firm, but shared mailboxes exist
 * (0.95); a phone may be a switchboard shared by a group (0.85); name + postcode collides for
 * franchises and common names in one district (0.8); the fuzzy name rule scales with similarity and
 * stays below any exact rule (at most 0.7).
 */
export const RULE_CONFIDENCE = {
  taxId: 0.98,
  duns: 0.97,
  email: 0.95,
  phone: 0.85,
  namePostcode: 0.8,
  fuzzyName: 0.7,
} as const

const text = (value: string | number | null | undefined): string | undefined =>
  value === null || value === undefined ? undefined : String(value)

const single = (value: string | undefined, source: Record<string, string>): readonly RuleKey[] =>
  value === undefined ? [] : [{ block: value, value, source }]

/** Exact email match after `normalizeEmail`. */
export function emailRule(): MatchRule {
  return {
    name: 'email',
    confidence: RULE_CONFIDENCE.email,
    keys: (record) => single(normalizeEmail(record.email), { email: text(record.email) ?? '' }),
  }
}

/** Options for `phoneRule`. */
export interface PhoneRuleOptions {
  /** The region of national numbers on records without a `country` (e.g. `GB`). */
  defaultRegion?: CountryCode
}

const regionOf = (record: MatchRecord, fallback: CountryCode | undefined): CountryCode | undefined => {
  const country = record.country?.trim().toUpperCase()
  return country !== undefined && /^[A-Z]{2}$/u.test(country) ? (country as CountryCode) : fallback
}

/** Exact E.164 match after `normalizePhone` (the record's `country`, else `defaultRegion`, for national forms). */
export function phoneRule(options: PhoneRuleOptions = {}): MatchRule {
  return {
    name: 'phone',
    confidence: RULE_CONFIDENCE.phone,
    keys: (record) =>
      single(normalizePhone(record.phone, regionOf(record, options.defaultRegion)), {
        phone: text(record.phone) ?? '',
      }),
  }
}

/** Exact tax/VAT number match after `normalizeTaxId`. */
export function taxIdRule(): MatchRule {
  return {
    name: 'tax-id',
    confidence: RULE_CONFIDENCE.taxId,
    keys: (record) =>
      single(normalizeTaxId(record.taxId, record.country), { taxId: text(record.taxId) ?? '' }),
  }
}

/** Exact D-U-N-S match after `normalizeDuns`. */
export function dunsRule(): MatchRule {
  return {
    name: 'duns',
    confidence: RULE_CONFIDENCE.duns,
    keys: (record) => single(normalizeDuns(record.duns), { duns: text(record.duns) ?? '' }),
  }
}

const nameAndPostcode = (record: MatchRecord) => {
  const name = normalizeName(record.name)
  const postcode = normalizePostcode(record.postcode)
  return name === undefined || postcode === undefined
    ? undefined
    : { name, postcode, source: { name: text(record.name) ?? '', postcode: text(record.postcode) ?? '' } }
}

/** Exact match of the folded name (`normalizeName`) and postcode (`normalizePostcode`) together. */
export function namePostcodeRule(): MatchRule {
  return {
    name: 'name-postcode',
    confidence: RULE_CONFIDENCE.namePostcode,
    keys: (record) => {
      const key = nameAndPostcode(record)
      if (key === undefined) return []
      const value = `${key.name} | ${key.postcode}`
      return [{ block: value, value, source: key.source }]
    },
  }
}

/** Options for `fuzzyNameRule`. */
export interface FuzzyNameOptions {
  /** The least similarity (1 − Levenshtein distance / longer length) that matches (default 0.85). */
  threshold?: number
  /**
   * What a record is blocked by (default `postcode`): only records sharing it are compared, which
   * keeps matching sub-quadratic. `name-prefix` blocks by postcode and the first 3 characters of the name.
   */
  blockBy?: 'postcode' | 'name-prefix'
}

/**
 * Folded names within `threshold` edit similarity (fastest-levenshtein), among records blocked by
 * postcode; equal names are left to `namePostcodeRule`. Confidence = 0.7 × similarity. Off by
 * default: add it to the rules explicitly.
 */
export function fuzzyNameRule(options: FuzzyNameOptions = {}): MatchRule {
  const threshold = options.threshold ?? 0.85
  const byPrefix = options.blockBy === 'name-prefix'
  return {
    name: 'fuzzy-name',
    confidence: RULE_CONFIDENCE.fuzzyName,
    keys: (record) => {
      const key = nameAndPostcode(record)
      if (key === undefined) return []
      const block = byPrefix ? `${key.postcode} ${key.name.slice(0, 3)}` : key.postcode
      return [{ block, value: `${key.name} | ${key.postcode}`, source: key.source }]
    },
    compare: (a, b) => {
      const nameA = a.value.slice(0, a.value.lastIndexOf(' | '))
      const nameB = b.value.slice(0, b.value.lastIndexOf(' | '))
      // Equal folded names are the name + postcode rule's match; counting them here too would add one
      // piece of evidence twice when the confidences are combined.
      if (nameA === nameB) return undefined
      const longer = Math.max(nameA.length, nameB.length)
      const similarity = longer === 0 ? 0 : 1 - distance(nameA, nameB) / longer
      if (similarity < threshold) return undefined
      return { confidence: round(RULE_CONFIDENCE.fuzzyName * similarity), similarity: round(similarity) }
    },
  }
}

/** Rounds to 4 decimals, so confidences read cleanly in explanations. */
export const round = (value: number): number => Math.round(value * 10_000) / 10_000

/** Options for `defaultMatchRules`. */
export interface DefaultMatchRulesOptions extends PhoneRuleOptions {
  /** Adds `fuzzyNameRule` (off by default): `true` or its options. */
  fuzzy?: boolean | FuzzyNameOptions
}

/** The deterministic rules (tax id, DUNS, email, phone, name + postcode), plus the fuzzy rule if asked. */
export function defaultMatchRules(options: DefaultMatchRulesOptions = {}): MatchRule[] {
  const rules = [
    taxIdRule(),
    dunsRule(),
    emailRule(),
    phoneRule(options.defaultRegion === undefined ? {} : { defaultRegion: options.defaultRegion }),
    namePostcodeRule(),
  ]
  if (options.fuzzy) rules.push(fuzzyNameRule(options.fuzzy === true ? {} : options.fuzzy))
  return rules
}
