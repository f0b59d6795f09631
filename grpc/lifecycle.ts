// close()/closed() of a RunningNode: close is idempotent, closed resolves once stopped.
export class Lifecycle {
  private closing: Promise<void> | undefined
  private settle!: (err: Error | undefined) => void
  private readonly done = new Promise<Error | undefined>((r) => (this.settle = r))

  constructor(private readonly stop: () => Promise<void>) {}

  readonly close = (): Promise<void> => {
    this.closing ??= this.stop().finally(() => this.settle(undefined))
    return this.closing
  }

  readonly closed = (): Promise<Error | undefined> => this.done
}
