import { describe, expect, it } from 'vitest'
import { predictionSchema } from './prediction.js'

const base = {
  model: { name: 'lead-score', version: '2026.11' },
  input: { entity: 'Lead', sourceIds: { salesforce: '00Q000000000001AAA' } },
  createdAt: new Date('2026-11-24T10:00:00Z'),
}

describe('predictionSchema', () => {
  it('accepts a scored prediction with its model, version, input and explanation', () => {
    const prediction = {
      ...base,
      score: 0.87,
      label: 'hot',
      explanation: [{ feature: 'industry', weight: 0.31 }],
    }
    expect(predictionSchema.parse(prediction)).toEqual(prediction)
  })

  it('needs a label or a score', () => {
    const result = predictionSchema.safeParse(base)
    expect(result.success).toBe(false)
    expect(result.error?.issues[0]?.path).toEqual(['label'])
  })

  it('needs an id, source ids or a hash for its input', () => {
    expect(predictionSchema.safeParse({ ...base, label: 'x', input: { entity: 'Lead' } }).success).toBe(false)
    expect(
      predictionSchema.safeParse({ ...base, label: 'x', input: { entity: 'Lead', hash: 'sha256:ab' } })
        .success,
    ).toBe(true)
  })

  it('needs the model version', () => {
    expect(predictionSchema.safeParse({ ...base, score: 1, model: { name: 'lead-score' } }).success).toBe(
      false,
    )
  })
})
