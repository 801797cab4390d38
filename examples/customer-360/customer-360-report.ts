import type { AmbiguousMatch } from '@junction/core'
import type { MergedCustomer } from './identity/merged-customer.js'
import type { AcceptedLink, ResolutionConflict } from './identity/resolve-identities.js'
import type { RefusedRecord } from './read-customers.js'
import type { SystemName } from './seed/companies.js'

/** What `runCustomer360` found: the merged view, the explanation of each link, the conflicts. */
export interface Customer360Report {
  /** Where the identity links live. */
  readonly store: 'memory' | 'redis'
  /** The simulators' loopback origins. */
  readonly urls: Readonly<Record<SystemName, string>>
  /** Records read per system. */
  readonly read: Readonly<Record<SystemName, number>>
  /** Records a mapping refused (never matched). */
  readonly refused: readonly RefusedRecord[]
  /** One entry per real-world customer, ordered by name. */
  readonly customers: readonly MergedCustomer[]
  /** Every match acted on, strongest first, with its rules and confidences. */
  readonly links: readonly AcceptedLink[]
  /** Matches refused because they contradict stronger links, with both claimants. */
  readonly conflicts: readonly ResolutionConflict[]
  /** Records the rules matched to several records of another system. */
  readonly ambiguous: readonly AmbiguousMatch[]
  readonly stats: {
    /** Candidate pairs the blocked matcher compared, against the full cross product. */
    readonly comparisons: number
    readonly crossProduct: number
    /** Link changes applied in this run (0 on a rerun against a kept store). */
    readonly linkChanges: number
    /** Identity audit events written (one per link change attempted, conflicts included). */
    readonly auditEvents: number
  }
}
