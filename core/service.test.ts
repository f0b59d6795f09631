import { describe, expect, it } from 'vitest'
import { UnknownOperationError, ValidationError } from './errors.ts'
import { CENSORED } from './moderate.ts'
import type { Review } from './schemas.ts'
import { ReviewService } from './service.ts'

const input = { productId: 'B00004Y2UT', reviewerId: 'A14VAT5EAX3D9S', rating: 5, text: 'Quite affordable.' }

async function fieldOf(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(ValidationError)
  return (err as ValidationError).field
}

describe('ReviewService.call', () => {
  it('rejects unknown operations, including inherited property names', async () => {
    const s = new ReviewService()
    await expect(s.call('deleteEverything', {})).rejects.toBeInstanceOf(UnknownOperationError)
    await expect(s.call('toString', {})).rejects.toBeInstanceOf(UnknownOperationError)
    await expect(s.call('constructor', {})).rejects.toMatchObject({ code: 'UNIMPLEMENTED' })
  })

  it('validates params and names the offending field', async () => {
    const s = new ReviewService()
    expect(await fieldOf(s.call('submitReview', { ...input, rating: 6 }))).toBe('rating')
    expect(await fieldOf(s.call('submitReview', { ...input, productId: undefined }))).toBe('productId')
    expect(await fieldOf(s.call('submitReview', { ...input, bogus: true }))).toBe('bogus')
    expect(await fieldOf(s.call('listReviews', { productId: 'nope' }))).toBe('productId')
    expect(await fieldOf(s.call('listReviews', { productId: input.productId, limit: 0 }))).toBe('limit')
    expect(await fieldOf(s.call('trending', { windowMs: -1 }))).toBe('windowMs')
    expect(await fieldOf(s.call('moderate', { text: 'x', cost: { cpuMicros: -1 } }))).toBe('cost.cpuMicros')
    expect(await fieldOf(s.call('moderate', {}))).toBe('text')
    expect(await fieldOf(s.call('productStats', 'B00004Y2UT'))).toBe('params')
  })

  it('runs the review operations against its backend', async () => {
    const s = new ReviewService()
    const stored = (await s.call('submitReview', { ...input, requestId: 'r1' })) as Review
    expect(stored).toMatchObject({ ...input, id: expect.any(String), ts: expect.any(Number) })
    expect(stored).not.toHaveProperty('requestId')
    expect(await s.call('submitReview', { ...input, requestId: 'r1' })).toEqual(stored) // a retry
    expect(await s.call('listReviews', { productId: input.productId })).toEqual([stored])
    expect(await s.call('productStats', { productId: input.productId })).toEqual({ productId: input.productId, count: 1, meanRating: 5 })
    expect(await s.call('trending', undefined)).toEqual([{ productId: input.productId, count: 1, meanRating: 5 }])
  })

  it('moderates through call(), with the default or a custom word list', async () => {
    expect(await new ReviewService().call('moderate', { text: 'What a SCAM, you idiot' })).toEqual({
      text: `What a ${CENSORED}, you ${CENSORED}`,
      hits: 2,
    })
    const custom = new ReviewService({ bannedWords: ['meh'] })
    expect(await custom.call('moderate', { text: 'meh scam', cost: { ioMillis: 1 } })).toEqual({ text: `${CENSORED} scam`, hits: 1 })
  })
})
