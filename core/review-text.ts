// Review prose for the generator: sentences from small word lists, with a tone that
// follows the rating, and now and then a phrase with a banned word so `moderate` has
// something to censor. Every banned word comes from an explicit phrase and is counted,
// so a test can check the censor against the count. The lists must not contain
// DEFAULT_BANNED_WORDS (core/moderate.ts) anywhere else.
import type { Rng } from './random.ts'

/** What the generator may put in a review (a subset of core/moderate.ts DEFAULT_BANNED_WORDS). */
export const GENERATED_BANNED_WORDS = ['idiot', 'stupid', 'scam'] as const

const NOUNS = [
  'blender', 'charger', 'backpack', 'lamp', 'kettle', 'keyboard', 'headset', 'novel', 'tent', 'drill',
  'jacket', 'mattress', 'router', 'camera', 'skillet', 'toaster', 'monitor', 'speaker', 'bottle', 'vacuum',
  'café press', 'jalapeño slicer', 'phone case', 'desk chair', 'yoga mat', 'board game', 'coffee grinder',
]
const GOOD = ['excellent', 'sturdy', 'reliable', 'quiet', 'comfortable', 'gorgeous', 'solid', 'handy', 'fantastic', 'well made']
const BAD = ['flimsy', 'noisy', 'disappointing', 'cheap', 'broken', 'useless', 'awkward', 'overpriced', 'fragile', 'unreliable']
const MEH = ['decent', 'fine', 'average', 'okay', 'acceptable', 'ordinary', 'passable', 'adequate']
const ADVERBS = ['really', 'quite', 'surprisingly', 'very', 'fairly', 'honestly', 'mostly', 'somewhat']
const TIMES = ['two weeks', 'a month', 'three days', 'six months', 'a year', 'one afternoon', 'the first week']
const PEOPLE = ['wife', 'husband', 'son', 'daughter', 'roommate', 'neighbour', 'brother', 'sister', 'friend']
const VERBS = ['bought', 'ordered', 'tested', 'used', 'returned', 'tried', 'gifted', 'unboxed']

const TEMPLATES: readonly ((w: Words) => string)[] = [
  (w) => `The ${w.noun()} is ${w.adv()} ${w.adj()}.`,
  (w) => `I ${w.verb()} this ${w.noun()} ${w.time()} ago and it has been ${w.adj()} so far.`,
  (w) => `After ${w.time()}, the ${w.noun()} still feels ${w.adj()}.`,
  (w) => `My ${w.person()} ${w.verb()} one too, and theirs was ${w.adv()} ${w.adj()}.`,
  (w) => `Compared to my old ${w.noun()}, this one is ${w.adv()} ${w.adj()}.`,
  (w) => `Shipping took ${w.time()} and the box was ${w.adj()}.`,
  (w) => `Setup was ${w.adv()} ${w.adj()}, and the instructions were ${w.adj()}.`,
  (w) => `For the price, I would call it ${w.adj()}.`,
]

const BANNED_PHRASES: Record<(typeof GENERATED_BANNED_WORDS)[number], readonly string[]> = {
  idiot: ['Only an {w} would pay this much.', 'I felt like an {w} after reading the manual.'],
  stupid: ['What a {w} design.', 'The power button is in a {w} place.'],
  scam: ['This listing is a {w}.', 'Total {w}, avoid it!'],
}

/** Word pickers for one review (a class, not per-call closures: this runs for every message). */
class Words {
  constructor(
    private readonly rng: Rng,
    private readonly tone: readonly string[],
  ) {}
  noun(): string {
    return this.rng.pick(NOUNS)
  }
  adj(): string {
    return this.rng.pick(this.tone)
  }
  adv(): string {
    return this.rng.pick(ADVERBS)
  }
  time(): string {
    return this.rng.pick(TIMES)
  }
  person(): string {
    return this.rng.pick(PEOPLE)
  }
  verb(): string {
    return this.rng.pick(VERBS)
  }
}

function wordsFor(rng: Rng, rating: number): Words {
  return new Words(rng, rating >= 4 ? GOOD : rating <= 2 ? BAD : MEH)
}

function casing(rng: Rng, w: string): string {
  const u = rng.next()
  if (u < 0.15) return w.toUpperCase()
  if (u < 0.35) return w[0].toUpperCase() + w.slice(1)
  return w
}

export interface ReviewProse {
  text: string
  /** Banned words placed in the text: what moderate() with the default word list reports as hits. */
  bannedWords: number
}

/**
 * Paragraphs of sentences until about `targetBytes` (UTF-8), never beyond `maxBytes`.
 * Each sentence carries a banned-word phrase with probability `bannedRate`.
 */
export function reviewProse(rng: Rng, rating: number, targetBytes: number, maxBytes: number, bannedRate: number): ReviewProse {
  const words = wordsFor(rng, rating)
  let text = ''
  let bytes = 0
  let bannedWords = 0
  let inParagraph = 0
  for (;;) {
    let sentence = rng.pick(TEMPLATES)(words)
    let banned = 0
    if (rng.chance(bannedRate)) {
      const word = rng.pick(GENERATED_BANNED_WORDS)
      sentence += ' ' + rng.pick(BANNED_PHRASES[word]).replace('{w}', casing(rng, word))
      banned = 1
    }
    const sep = text === '' ? '' : inParagraph >= 4 && rng.chance(0.4) ? '\n\n' : ' '
    const add = Buffer.byteLength(sep + sentence, 'utf8')
    if (text !== '' && bytes + add > maxBytes) break
    text += sep + sentence
    bytes += add
    bannedWords += banned
    inParagraph = sep === '\n\n' ? 1 : inParagraph + 1
    if (bytes >= targetBytes) break
  }
  return { text, bannedWords }
}

const SHORT = [
  ['Broke on day one.', 'Do not buy.', 'Very poor.'],
  ['Not great.', 'Below expectations.', 'Meh, returned it.'],
  ['It is okay.', 'Does the job.', 'Average at best.'],
  ['Good value.', 'Works well.', 'Happy with it.'],
  ['Love it!', 'Perfect.', 'Five stars, would buy again.'],
] as const

/** A one-line comment matching a 1..5 rating, for simple rating events. */
export function shortComment(rng: Rng, rating: number): string {
  return rng.pick(SHORT[rating - 1])
}

const NAMES = ['Alex', 'Sam', 'Priya', 'Jonas', 'Mei', 'Carlos', 'Fatima', 'Olga', 'Kwame', 'Lucía', 'Noah', 'Aiko']

export function reviewerName(rng: Rng): string {
  return `${rng.pick(NAMES)} ${String.fromCharCode(65 + rng.int(26))}.`
}

export function reviewTitle(rng: Rng, rating: number): string {
  const w = wordsFor(rng, rating)
  const adj = w.adj()
  return `${adj[0].toUpperCase()}${adj.slice(1)} ${w.noun()}`
}
