const EMAIL = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:".]{2,}$/u

/**
 * The match key of an email address, or `undefined` when it is not one: Unicode-compatibility
 * normalized (NFKC), trimmed, a `mailto:` or `Name <…>` wrapper removed, case-folded. Gmail dots and
 * `+tags` are NOT folded: other providers treat them as different mailboxes, and a false merge costs
 * more than a missed one.
 */
export function normalizeEmail(raw: string | null | undefined): string | undefined {
  if (typeof raw !== 'string') return undefined
  let text = raw.normalize('NFKC').trim()
  const angled = /<([^<>]*)>\s*$/u.exec(text)
  if (angled?.[1] !== undefined) text = angled[1].trim()
  text = text.replace(/^mailto:/iu, '').toLowerCase()
  return EMAIL.test(text) ? text : undefined
}
