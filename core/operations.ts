// Calls an operation by name with a params object (as the CLI and harnesses hold them),
// mapping onto the typed ReviewClient methods.
import type { CallOptions, ReviewClient } from './contract.ts'
import { UnknownOperationError } from './errors.ts'
import type { OperationName, ReviewInput } from './schemas.ts'
import { isOperationName } from './schemas.ts'

type Params = Record<string, unknown>

export async function invokeOperation(client: ReviewClient, op: string, params: Params, opts?: CallOptions): Promise<unknown> {
  if (!isOperationName(op)) throw new UnknownOperationError(op)
  const o: OperationName = op
  switch (o) {
    case 'submitReview':
      return client.submitReview(params as unknown as ReviewInput, opts)
    case 'listReviews':
      return client.listReviews(params.productId as string, params.limit as number | undefined, opts)
    case 'productStats':
      return client.productStats(params.productId as string, opts)
    case 'trending':
      return client.trending(params.windowMs as number | undefined, params.k as number | undefined, opts)
    case 'moderate':
      return client.moderate(params.text as string, params.cost as Params | undefined, opts)
  }
}
