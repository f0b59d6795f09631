// Original file: grpc/review.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { DeregisterReply as _mwlab_DeregisterReply, DeregisterReply__Output as _mwlab_DeregisterReply__Output } from '../mwlab/DeregisterReply.ts';
import type { DeregisterRequest as _mwlab_DeregisterRequest, DeregisterRequest__Output as _mwlab_DeregisterRequest__Output } from '../mwlab/DeregisterRequest.ts';
import type { HeartbeatReply as _mwlab_HeartbeatReply, HeartbeatReply__Output as _mwlab_HeartbeatReply__Output } from '../mwlab/HeartbeatReply.ts';
import type { HeartbeatRequest as _mwlab_HeartbeatRequest, HeartbeatRequest__Output as _mwlab_HeartbeatRequest__Output } from '../mwlab/HeartbeatRequest.ts';
import type { RegisterReply as _mwlab_RegisterReply, RegisterReply__Output as _mwlab_RegisterReply__Output } from '../mwlab/RegisterReply.ts';
import type { RegisterRequest as _mwlab_RegisterRequest, RegisterRequest__Output as _mwlab_RegisterRequest__Output } from '../mwlab/RegisterRequest.ts';
import type { WorkerList as _mwlab_WorkerList, WorkerList__Output as _mwlab_WorkerList__Output } from '../mwlab/WorkerList.ts';
import type { WorkersRequest as _mwlab_WorkersRequest, WorkersRequest__Output as _mwlab_WorkersRequest__Output } from '../mwlab/WorkersRequest.ts';

/**
 * Served by a master only: workers register and heartbeat, clients ask for the live list.
 */
export interface ClusterClient extends grpc.Client {
  /**
   * A worker that stops gracefully leaves at once instead of after 3 missed beats.
   */
  Deregister(argument: _mwlab_DeregisterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mwlab_DeregisterReply__Output>): grpc.ClientUnaryCall;
  Deregister(argument: _mwlab_DeregisterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mwlab_DeregisterReply__Output>): grpc.ClientUnaryCall;
  Deregister(argument: _mwlab_DeregisterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mwlab_DeregisterReply__Output>): grpc.ClientUnaryCall;
  Deregister(argument: _mwlab_DeregisterRequest, callback: grpc.requestCallback<_mwlab_DeregisterReply__Output>): grpc.ClientUnaryCall;
  /**
   * A worker that stops gracefully leaves at once instead of after 3 missed beats.
   */
  deregister(argument: _mwlab_DeregisterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mwlab_DeregisterReply__Output>): grpc.ClientUnaryCall;
  deregister(argument: _mwlab_DeregisterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mwlab_DeregisterReply__Output>): grpc.ClientUnaryCall;
  deregister(argument: _mwlab_DeregisterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mwlab_DeregisterReply__Output>): grpc.ClientUnaryCall;
  deregister(argument: _mwlab_DeregisterRequest, callback: grpc.requestCallback<_mwlab_DeregisterReply__Output>): grpc.ClientUnaryCall;
  
  Heartbeat(argument: _mwlab_HeartbeatRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mwlab_HeartbeatReply__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _mwlab_HeartbeatRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mwlab_HeartbeatReply__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _mwlab_HeartbeatRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mwlab_HeartbeatReply__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _mwlab_HeartbeatRequest, callback: grpc.requestCallback<_mwlab_HeartbeatReply__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _mwlab_HeartbeatRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mwlab_HeartbeatReply__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _mwlab_HeartbeatRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mwlab_HeartbeatReply__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _mwlab_HeartbeatRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mwlab_HeartbeatReply__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _mwlab_HeartbeatRequest, callback: grpc.requestCallback<_mwlab_HeartbeatReply__Output>): grpc.ClientUnaryCall;
  
  Register(argument: _mwlab_RegisterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mwlab_RegisterReply__Output>): grpc.ClientUnaryCall;
  Register(argument: _mwlab_RegisterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mwlab_RegisterReply__Output>): grpc.ClientUnaryCall;
  Register(argument: _mwlab_RegisterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mwlab_RegisterReply__Output>): grpc.ClientUnaryCall;
  Register(argument: _mwlab_RegisterRequest, callback: grpc.requestCallback<_mwlab_RegisterReply__Output>): grpc.ClientUnaryCall;
  register(argument: _mwlab_RegisterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mwlab_RegisterReply__Output>): grpc.ClientUnaryCall;
  register(argument: _mwlab_RegisterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mwlab_RegisterReply__Output>): grpc.ClientUnaryCall;
  register(argument: _mwlab_RegisterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mwlab_RegisterReply__Output>): grpc.ClientUnaryCall;
  register(argument: _mwlab_RegisterRequest, callback: grpc.requestCallback<_mwlab_RegisterReply__Output>): grpc.ClientUnaryCall;
  
  Workers(argument: _mwlab_WorkersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mwlab_WorkerList__Output>): grpc.ClientUnaryCall;
  Workers(argument: _mwlab_WorkersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mwlab_WorkerList__Output>): grpc.ClientUnaryCall;
  Workers(argument: _mwlab_WorkersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mwlab_WorkerList__Output>): grpc.ClientUnaryCall;
  Workers(argument: _mwlab_WorkersRequest, callback: grpc.requestCallback<_mwlab_WorkerList__Output>): grpc.ClientUnaryCall;
  workers(argument: _mwlab_WorkersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mwlab_WorkerList__Output>): grpc.ClientUnaryCall;
  workers(argument: _mwlab_WorkersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mwlab_WorkerList__Output>): grpc.ClientUnaryCall;
  workers(argument: _mwlab_WorkersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mwlab_WorkerList__Output>): grpc.ClientUnaryCall;
  workers(argument: _mwlab_WorkersRequest, callback: grpc.requestCallback<_mwlab_WorkerList__Output>): grpc.ClientUnaryCall;
  
}

/**
 * Served by a master only: workers register and heartbeat, clients ask for the live list.
 */
export interface ClusterHandlers extends grpc.UntypedServiceImplementation {
  /**
   * A worker that stops gracefully leaves at once instead of after 3 missed beats.
   */
  Deregister: grpc.handleUnaryCall<_mwlab_DeregisterRequest__Output, _mwlab_DeregisterReply>;
  
  Heartbeat: grpc.handleUnaryCall<_mwlab_HeartbeatRequest__Output, _mwlab_HeartbeatReply>;
  
  Register: grpc.handleUnaryCall<_mwlab_RegisterRequest__Output, _mwlab_RegisterReply>;
  
  Workers: grpc.handleUnaryCall<_mwlab_WorkersRequest__Output, _mwlab_WorkerList>;
  
}

export interface ClusterDefinition extends grpc.ServiceDefinition {
  Deregister: MethodDefinition<_mwlab_DeregisterRequest, _mwlab_DeregisterReply, _mwlab_DeregisterRequest__Output, _mwlab_DeregisterReply__Output>
  Heartbeat: MethodDefinition<_mwlab_HeartbeatRequest, _mwlab_HeartbeatReply, _mwlab_HeartbeatRequest__Output, _mwlab_HeartbeatReply__Output>
  Register: MethodDefinition<_mwlab_RegisterRequest, _mwlab_RegisterReply, _mwlab_RegisterRequest__Output, _mwlab_RegisterReply__Output>
  Workers: MethodDefinition<_mwlab_WorkersRequest, _mwlab_WorkerList, _mwlab_WorkersRequest__Output, _mwlab_WorkerList__Output>
}
