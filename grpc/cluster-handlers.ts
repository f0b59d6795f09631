// The master's Cluster service over cluster/registry.ts: workers register and heartbeat,
// clients ask for the live list to balance over.
import { ValidationError } from '../core/errors.ts'
import type { Logger } from '../core/log.ts'
import type { Registry } from '../cluster/registry.ts'
import type { ClusterHandlers } from './generated/mwlab/Cluster.ts'
import { toStatus } from './status.ts'

export function clusterHandlers(registry: Registry, log: Logger): ClusterHandlers {
  return {
    Register(call, callback) {
      const { id, address, pid } = call.request
      if (!id || !address) {
        callback(toStatus(new ValidationError(id ? 'address' : 'id', 'required'), log))
        return
      }
      registry.register({ id, address, pid })
      callback(null, { heartbeatMs: registry.heartbeatMs })
    },
    Heartbeat(call, callback) {
      callback(null, { known: registry.heartbeat(call.request.id) })
    },
    Deregister(call, callback) {
      registry.deregister(call.request.id)
      callback(null, {})
    },
    Workers(_call, callback) {
      callback(null, { workers: registry.live().map((w) => ({ ...w, address: w.address ?? '' })) })
    },
  }
}
