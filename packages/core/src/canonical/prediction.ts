import { z } from 'zod'
import { sourceIdsSchema } from './canonical-entity.js'

/** The record a prediction was made about: its entity and ids, or a hash of an input that has no id. */
export const predictionInputSchema = z
  .object({
    entity: z.string().min(1),
    id: z.string().min(1).optional(),
    sourceIds: sourceIdsSchema.optional(),
    /** A digest of the input snapshot (e.g. sha256), when the input is not a stored record. */
    hash: z.string().min(1).optional(),
  })
  .refine((input) => input.id !== undefined || input.sourceIds !== undefined || input.hash !== undefined, {
    message: 'a prediction input needs an id, sourceIds or a hash',
  })

/** One factor behind a prediction, e.g. `{ feature: 'industry', weight: 0.31 }`. */
export const predictionFactorSchema = z.object({
  feature: z.string().min(1),
  weight: z.number().finite().optional(),
  note: z.string().optional(),
})

/** An AI output: which model and version said what about which input, so it can be audited and reproduced. */
export const predictionSchema = z
  .object({
    id: z.string().min(1).optional(),
    model: z.object({ name: z.string().min(1), version: z.string().min(1) }),
    input: predictionInputSchema,
    /** A class or decision, e.g. `hot`, `approve`. */
    label: z.string().min(1).optional(),
    /** A score or probability as the model produced it. */
    score: z.number().finite().optional(),
    confidence: z.number().min(0).max(1).optional(),
    explanation: z.union([z.string(), z.array(predictionFactorSchema)]).optional(),
    createdAt: z.date(),
  })
  .refine((prediction) => prediction.label !== undefined || prediction.score !== undefined, {
    message: 'a prediction needs a label or a score',
    path: ['label'],
  })

/** A canonical prediction. */
export type Prediction = z.infer<typeof predictionSchema>
/** What a prediction was about. */
export type PredictionInput = z.infer<typeof predictionInputSchema>
