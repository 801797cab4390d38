import { JAPANESE_LEGAL_FORMS, LEGAL_SUFFIXES } from './legal-suffixes.js'

// Letters NFKD leaves whole.
const LETTERS: Readonly<Record<string, string>> = {
  ß: 'ss',
  ẞ: 'ss',
  æ: 'ae',
  Æ: 'ae',
  œ: 'oe',
  Œ: 'oe',
  ø: 'o',
  Ø: 'o',
  ł: 'l',
  Ł: 'l',
  đ: 'd',
  Đ: 'd',
  ð: 'd',
  Ð: 'd',
  þ: 'th',
  Þ: 'th',
  ı: 'i',
}
const SPECIAL_LETTERS = new RegExp(`[${Object.keys(LETTERS).join('')}]`, 'gu')

const SUFFIXES: readonly (readonly string[])[] = LEGAL_SUFFIXES.map((suffix) => suffix.split(' ')).sort(
  (left, right) => right.length - left.length,
)

// Combining diacritics only: kana voicing marks (U+3099, U+309A) change the word, so NFC puts them back.
const DIACRITICS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/gu

/** Text with diacritics and compatibility forms folded (NFKD, diacritics dropped), lower-cased. */
export function foldText(raw: string): string {
  return raw
    .normalize('NFKD')
    .replace(DIACRITICS, '')
    .normalize('NFC')
    .replace(SPECIAL_LETTERS, (letter) => LETTERS[letter] ?? letter)
    .toLowerCase()
}

// `s a` → `sa`, `l l c` → `llc`: dotted abbreviations become one token whatever their spacing.
const joinInitials = (tokens: readonly string[]): string[] => {
  const joined: string[] = []
  let run = ''
  for (const token of tokens) {
    if (token.length === 1 && /\p{L}/u.test(token)) {
      run += token
      continue
    }
    if (run !== '') joined.push(run)
    run = ''
    joined.push(token)
  }
  if (run !== '') joined.push(run)
  return joined
}

const endsWith = (tokens: readonly string[], suffix: readonly string[]): boolean =>
  tokens.length > suffix.length &&
  suffix.every((word, index) => tokens[tokens.length - suffix.length + index] === word)

/**
 * The match key of an organisation name, or `undefined` when nothing is left: diacritics folded
 * (NFKD), lower-cased, `&` read as `and`, punctuation removed, initials joined and legal suffixes
 * stripped from the end, repeatedly (`ACME GmbH & Co. KG`, `Acme Inc.`, `ACME S.A.`, `Acme Ltd`,
 * `株式会社アクメ` … → `acme` / `アクメ`). A leading `the` goes too. A name made only of a legal form
 * keeps its last word rather than become empty.
 */
export function normalizeName(raw: string | null | undefined): string | undefined {
  if (typeof raw !== 'string') return undefined
  let text = foldText(raw)
  for (const form of JAPANESE_LEGAL_FORMS) text = text.split(form).join(' ')
  const words = text
    .replace(/&/gu, ' and ')
    .replace(/['’`]/gu, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '')
  let tokens = joinInitials(words)
  if (tokens.length > 1 && tokens[0] === 'the') tokens = tokens.slice(1)
  for (let stripped = true; stripped; ) {
    stripped = false
    for (const suffix of SUFFIXES) {
      if (endsWith(tokens, suffix)) {
        tokens = tokens.slice(0, tokens.length - suffix.length)
        stripped = true
        break
      }
    }
    if (tokens.length > 1 && tokens[tokens.length - 1] === 'and') {
      tokens = tokens.slice(0, -1)
      stripped = true
    }
  }
  return tokens.length === 0 ? undefined : tokens.join(' ')
}

/** The match key of a postcode (`sw1a 1aa` → `SW1A1AA`), or `undefined` when under 3 characters. */
export function normalizePostcode(raw: string | number | null | undefined): string | undefined {
  const text = typeof raw === 'number' ? String(raw) : raw
  if (typeof text !== 'string') return undefined
  const key = foldText(text)
    .toUpperCase()
    .replace(/[^\p{L}\p{N}]/gu, '')
  return key.length >= 3 ? key : undefined
}
