import type { Transformer } from './transformer.js'

/** A computed field: reads the whole record; a throw becomes a `converter_threw` issue. */
export type ComputeField<R> = (record: R) => unknown

/** A step applied to a field's value: a converter (or any transformer), or a plain function of the value. */
export type FieldStep = Transformer<unknown, unknown> | ((value: unknown) => unknown)

/** Where a field's value comes from: a path in the source record (`'BillingAddress.PostalCode'`) or a function. */
export type FieldSource<R> = string | ComputeField<R>

/** One field: a source alone, or a source followed by the steps its value goes through. */
export type FieldRule<R> = FieldSource<R> | readonly [FieldSource<R>, ...FieldStep[]]

/** A nested object in the target (`address: { city: 'City', postcode: 'Zip' }`), for object-valued fields. */
export type NestedFieldSpecs<R, V> =
  NonNullable<V> extends Date | readonly unknown[] | ((...args: never[]) => unknown)
    ? never
    : NonNullable<V> extends object
      ? FieldSpecs<R, NonNullable<V>>
      : never

/** How to fill one target field. */
export type FieldSpec<R, V> = FieldRule<R> | NestedFieldSpecs<R, V>

/** How to fill the target's fields, keyed by the target's own field names; unlisted fields stay unset. */
export type FieldSpecs<R, T> = { [K in keyof T]?: FieldSpec<R, T[K]> }
