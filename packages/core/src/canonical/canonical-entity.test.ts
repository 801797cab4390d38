import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { amountSchema, canonicalEntity, currencyCodeSchema } from './canonical-entity.js'

describe('canonicalEntity', () => {
  const vehicleSchema = canonicalEntity({ vin: z.string().length(17), listPrice: amountSchema.optional() })

  it('adds the fields every canonical entity has to a team’s own model', () => {
    const vehicle = vehicleSchema.parse({ vin: '1HGCM82633A004352', sourceIds: { fleet: 'V-17' } })
    expect(vehicle).toEqual({ vin: '1HGCM82633A004352', sourceIds: { fleet: 'V-17' } })
    expect(vehicleSchema.parse({ vin: '1HGCM82633A004352' }).sourceIds).toEqual({})
  })

  it('refuses empty ids per system', () => {
    expect(vehicleSchema.safeParse({ vin: '1HGCM82633A004352', sourceIds: { fleet: '' } }).success).toBe(
      false,
    )
  })

  it('keeps amounts as exact decimal text and refuses floats and exponents', () => {
    expect(amountSchema.safeParse('1250.500').success).toBe(true)
    expect(amountSchema.safeParse(1250.5).success).toBe(false)
    expect(amountSchema.safeParse('1e3').success).toBe(false)
    expect(amountSchema.safeParse('007').success).toBe(false)
  })

  it('accepts ISO 4217 currency codes only', () => {
    expect(currencyCodeSchema.safeParse('EUR').success).toBe(true)
    expect(currencyCodeSchema.safeParse('eur').success).toBe(false)
  })
})
