import { describe, expect, it } from 'vitest'
import { ValidationError } from './errors.ts'
import { MAX_TEXT_BYTES, moderateParamsFast, OperationParams, ReviewInput } from './schemas.ts'
import { parseParams } from './service.ts'

const valid = { productId: 'B00004Y2UT', reviewerId: 'A2SUAM1J3GNN3B', rating: 4, text: 'Does the job.' }

/** The ValidationError that submitReview params raise, or undefined when they pass. */
function submitError(params: unknown): ValidationError | undefined {
  try {
    parseParams('submitReview', params)
    return undefined
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError)
    return err as ValidationError
  }
}

describe('ReviewInput', () => {
  it('accepts a valid review, with or without ts', () => {
    expect(ReviewInput.parse(valid)).toEqual(valid)
    expect(ReviewInput.parse({ ...valid, ts: 1_700_000_000_000 }).ts).toBe(1_700_000_000_000)
    expect(submitError({ ...valid, requestId: 'r-1' })).toBeUndefined()
  })

  it.each([0, 7, 2.5, -1, '5'])('rejects rating %s naming `rating`', (rating) => {
    const e = submitError({ ...valid, rating })
    expect(e?.field).toBe('rating')
    expect(e?.code).toBe('INVALID_ARGUMENT')
    expect(e?.message).toContain('rating')
  })

  it('names productId when it is missing or not an ASIN', () => {
    const { productId: _omit, ...rest } = valid
    expect(submitError(rest)?.field).toBe('productId')
    expect(submitError({ ...valid, productId: 'b00004y2ut' })?.field).toBe('productId')
    expect(submitError({ ...valid, productId: 'B00004Y2U' })?.field).toBe('productId')
  })

  it('counts text in UTF-8 bytes, not characters', () => {
    // 'é' is 2 bytes: 2048 of them are exactly 4096 bytes, one more is over.
    expect(submitError({ ...valid, text: 'é'.repeat(MAX_TEXT_BYTES / 2) })).toBeUndefined()
    const e = submitError({ ...valid, text: 'é'.repeat(MAX_TEXT_BYTES / 2 + 1) })
    expect(e?.field).toBe('text')
    // Only 2049 characters: a character-length check would have let it through.
    expect('é'.repeat(MAX_TEXT_BYTES / 2 + 1).length).toBeLessThan(MAX_TEXT_BYTES)
  })

  it('rejects an unknown key, naming it', () => {
    const e = submitError({ ...valid, helpful: [1, 2] })
    expect(e?.field).toBe('helpful')
    expect(ReviewInput.safeParse({ ...valid, extra: 1 }).success).toBe(false)
  })

  it('rejects params that are not an object', () => {
    expect(submitError(null)?.field).toBe('params')
    expect(submitError([valid])?.field).toBe('params')
  })
})

describe('moderate params: the hand check agrees with zod', () => {
  const ok: Record<string, unknown>[] = [
    { text: 'fine' },
    { text: '' },
    { text: 'x', requestId: 'r-1' },
    { text: 'x', requestId: 'r'.repeat(128) },
    { text: 'x', requestId: undefined },
    { text: 'x', cost: { cpuMicros: 2000 } },
    { text: 'x', cost: { ioMillis: 5 } },
    { text: 'x', cost: {} },
    { text: 'x', cost: { cpuMicros: 1_000_000, ioMillis: 60_000 }, requestId: 'r' },
    { text: 'x', cost: { cpuMicros: undefined, ioMillis: 0 } },
    { text: 'x', cost: undefined },
    { text: 'a'.repeat(MAX_TEXT_BYTES) },
    { text: 'é'.repeat(MAX_TEXT_BYTES / 2) },
    { text: '😀'.repeat(MAX_TEXT_BYTES / 4) },
  ]
  const bad: unknown[] = [
    {},
    { text: 1 },
    { text: null },
    { text: 'a'.repeat(MAX_TEXT_BYTES + 1) },
    { text: 'é'.repeat(MAX_TEXT_BYTES / 2 + 1) },
    { text: 'x', requestId: '' },
    { text: 'x', requestId: 'r'.repeat(129) },
    { text: 'x', requestId: 7 },
    { text: 'x', extra: true },
    { text: 'x', cost: null },
    { text: 'x', cost: [] },
    { text: 'x', cost: 'cpu' },
    { text: 'x', cost: { cpuMicros: -1 } },
    { text: 'x', cost: { cpuMicros: 1.5 } },
    { text: 'x', cost: { cpuMicros: Number.NaN } },
    { text: 'x', cost: { ioMillis: 60_001 } },
    { text: 'x', cost: { cpuMicros: '5' } },
    { text: 'x', cost: { cpuMicros: 1, other: 2 } },
  ]

  it.each(ok.map((p) => [JSON.stringify(p)?.slice(0, 60), p]))('accepts %s on the fast path, as zod parses it', (_, p) => {
    const fast = moderateParamsFast(p as Record<string, unknown>)
    expect(fast).toBeDefined()
    expect(fast).toStrictEqual(OperationParams.moderate.parse(p))
    expect(parseParams('moderate', p)).toStrictEqual(fast)
  })

  it.each(bad.map((p) => [JSON.stringify(p)?.slice(0, 60), p]))('leaves %s to zod, which rejects it naming the field', (_, p) => {
    expect(moderateParamsFast(p as Record<string, unknown>)).toBeUndefined()
    const zod = OperationParams.moderate.safeParse(p)
    expect(zod.success).toBe(false)
    expect(() => parseParams('moderate', p)).toThrow(ValidationError)
  })
})
