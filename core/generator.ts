// Deterministic workload data (DESIGN section 1): the same seed always yields the same
// messages. Two kinds:
//   simple  - a rating event: productId, reviewerId, rating, a one-line comment;
//   complex - a full review: multi-paragraph text (about 0.2-2 KB, occasionally with a
//             banned word) and nested metadata (title, helpful votes, product, reviewer).
// Each message is `{ input, meta }`: `input` is exactly what submitReview accepts (the
// strict ReviewInput schema, no `ts`, so the service stamps the time of receipt and runs
// stay deterministic); `meta` holds what the review service has no field for, and what a
// harness may check against (popularity rank, banned words placed in the text).
// Product popularity is Zipf-like over a fixed catalogue of ASINs.
import { pace, type Paced, type PaceOptions } from './pace.ts'
import { createRng, mix32, type Rng } from './random.ts'
import { reviewerName, reviewProse, reviewTitle, shortComment } from './review-text.ts'
import type { ReviewInput } from './schemas.ts'
import { DEFAULT_ZIPF_EXPONENT, Zipf } from './zipf.ts'

export type MessageKind = 'simple' | 'complex'
export const MESSAGE_KINDS: readonly MessageKind[] = ['simple', 'complex']

export interface GeneratorOptions {
  /** Same seed => same sequence. Default 1. */
  seed?: number
  kind?: MessageKind
  /** Catalogue size. Default 1000. */
  products?: number
  /** Zipf exponent s of product popularity (P(rank r) ~ 1/r^s). Default 1.07. */
  zipfExponent?: number
  /** Number of distinct reviewers (drawn uniformly). Default 50,000. */
  reviewers?: number
  /** Chance per sentence of a complex review to carry a banned-word phrase. Default 0.01 (about one review in six). */
  bannedWordRate?: number
  /** Seeds the ASINs, independently of `seed`, so runs with different seeds share products. Default 0. */
  catalogueSeed?: number
}

export interface SimpleMeta {
  kind: 'simple'
  /** 0-based popularity rank of the product (0 = most popular). */
  rank: number
  bannedWords: 0
}

export interface ComplexMeta {
  kind: 'complex'
  rank: number
  title: string
  verifiedPurchase: boolean
  helpful: { up: number; total: number }
  product: { category: string; priceCents: number }
  reviewer: { name: string; reviewCount: number }
  style: { format: string; color?: string }
  /** Banned words placed in the text: moderate() with the default word list reports this many hits. */
  bannedWords: number
  textBytes: number
}

export interface GeneratedMessage {
  /** 0-based position in the sequence. */
  seq: number
  input: ReviewInput
  meta: SimpleMeta | ComplexMeta
}

const CATEGORIES = ['Electronics', 'Home & Kitchen', 'Books', 'Toys & Games', 'Garden', 'Sports', 'Beauty', 'Tools']
const FORMATS = ['Standard', 'Paperback', 'Hardcover', 'Kindle', 'Pack of 2', 'Large']
const COLORS = ['Black', 'White', 'Blue', 'Red', 'Green', 'Grey']
/** Complex texts never exceed this, well inside the service's 4 KiB limit. */
export const MAX_COMPLEX_TEXT_BYTES = 2048

function base36(n: number, width: number): string {
  return n.toString(36).toUpperCase().padStart(width, '0')
}

/** The ASIN of the product at 0-based popularity `rank`: "B0" + 8 of [A-Z0-9], unique per rank. */
export function productIdAt(rank: number, catalogueSeed = 0): string {
  // mix32 is a bijection and so is the xor, so distinct ranks never collide.
  return 'B0' + base36(mix32((rank ^ mix32(catalogueSeed ^ 0x9e3779b9)) >>> 0), 8)
}

/** An Amazon-style reviewer id ("A" + 13 of [A-Z0-9]), unique per index. */
export function reviewerIdAt(i: number): string {
  const h = mix32(i ^ 0x5bd1e995)
  return 'A' + base36(h, 7) + base36(mix32(h ^ 0x27d4eb2f) % 36 ** 6, 6)
}

/** The catalogue's ASINs in popularity order. */
export function catalogue(products = 1000, catalogueSeed = 0): string[] {
  return Array.from({ length: products }, (_, r) => productIdAt(r, catalogueSeed))
}

export class ReviewGenerator {
  private readonly rng: Rng
  private readonly zipf: Zipf
  private readonly ids: string[]
  private readonly meanRating: Float64Array
  private seq = 0
  readonly kind: MessageKind

  constructor(private readonly o: GeneratorOptions = {}) {
    this.kind = o.kind ?? 'simple'
    if (!MESSAGE_KINDS.includes(this.kind)) throw new RangeError(`kind must be one of ${MESSAGE_KINDS.join(', ')}, got ${this.kind}`)
    const products = o.products ?? 1000
    const reviewers = o.reviewers ?? 50_000
    if (!Number.isInteger(reviewers) || reviewers < 1) throw new RangeError(`reviewers must be >= 1, got ${reviewers}`)
    this.rng = createRng(o.seed ?? 1)
    this.zipf = new Zipf(products, o.zipfExponent ?? DEFAULT_ZIPF_EXPONENT)
    this.ids = catalogue(products, o.catalogueSeed ?? 0)
    // Each product has its own typical rating (2.6..4.8), so trending means differ.
    this.meanRating = Float64Array.from(this.ids, (_, r) => 2.6 + (mix32(r ^ 0x68e31da4) / 2 ** 32) * 2.2)
  }

  next(): GeneratedMessage {
    const rng = this.rng
    const rank = this.zipf.sample(rng.next())
    const rating = Math.min(5, Math.max(1, Math.round(this.meanRating[rank] + rng.normal())))
    const productId = this.ids[rank]
    const reviewerId = reviewerIdAt(rng.int(this.o.reviewers ?? 50_000))
    const seq = this.seq++
    if (this.kind === 'simple') {
      return { seq, input: { productId, reviewerId, rating, text: shortComment(rng, rating) }, meta: { kind: 'simple', rank, bannedWords: 0 } }
    }
    const prose = reviewProse(rng, rating, rng.between(200, MAX_COMPLEX_TEXT_BYTES), MAX_COMPLEX_TEXT_BYTES, this.o.bannedWordRate ?? 0.01)
    const total = rng.chance(0.6) ? 0 : Math.floor(1 / (1 - rng.next() * 0.99)) // heavy-tailed vote counts
    const meta: ComplexMeta = {
      kind: 'complex',
      rank,
      title: reviewTitle(rng, rating),
      verifiedPurchase: rng.chance(0.8),
      helpful: { up: rng.between(0, total), total },
      product: { category: CATEGORIES[mix32(rank ^ 0x1b873593) % CATEGORIES.length], priceCents: 199 + (mix32(rank) % 49_800) },
      reviewer: { name: reviewerName(rng), reviewCount: 1 + Math.floor(1 / (1 - rng.next() * 0.995)) },
      style: rng.chance(0.5) ? { format: rng.pick(FORMATS), color: rng.pick(COLORS) } : { format: rng.pick(FORMATS) },
      bannedWords: prose.bannedWords,
      textBytes: Buffer.byteLength(prose.text, 'utf8'),
    }
    return { seq, input: { productId, reviewerId, rating, text: prose.text }, meta }
  }

  /** The endless sequence (pull as many as you need). */
  *[Symbol.iterator](): Generator<GeneratedMessage> {
    for (;;) yield this.next()
  }
}

/** The first `count` messages, unpaced and synchronous (for tests and pre-generated workloads). */
export function generateBatch(count: number, o: GeneratorOptions = {}): GeneratedMessage[] {
  const g = new ReviewGenerator(o)
  return Array.from({ length: count }, () => g.next())
}

export type GenerateOptions = GeneratorOptions & PaceOptions

/**
 * Messages at `rate` per second (0/Infinity: as fast as pulled), until `count` or `signal`.
 * Each item carries `intendedAt`, its due time on the absolute schedule (see core/pace.ts).
 */
export function generate(o: GenerateOptions = {}): AsyncGenerator<Paced<GeneratedMessage>> {
  return pace(new ReviewGenerator(o), o)
}
