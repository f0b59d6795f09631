// Worker-thread entry: worker threads do not inherit the tsx loader the CLI registered,
// so register it here before loading the TypeScript worker.
import { register } from 'tsx/esm/api'

register()
await import('./load-worker.ts')
