import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { CallError as _mwlab_CallError, CallError__Output as _mwlab_CallError__Output } from './mwlab/CallError.ts';
import type { ClusterClient as _mwlab_ClusterClient, ClusterDefinition as _mwlab_ClusterDefinition } from './mwlab/Cluster.ts';
import type { Cost as _mwlab_Cost, Cost__Output as _mwlab_Cost__Output } from './mwlab/Cost.ts';
import type { DeregisterReply as _mwlab_DeregisterReply, DeregisterReply__Output as _mwlab_DeregisterReply__Output } from './mwlab/DeregisterReply.ts';
import type { DeregisterRequest as _mwlab_DeregisterRequest, DeregisterRequest__Output as _mwlab_DeregisterRequest__Output } from './mwlab/DeregisterRequest.ts';
import type { HeartbeatReply as _mwlab_HeartbeatReply, HeartbeatReply__Output as _mwlab_HeartbeatReply__Output } from './mwlab/HeartbeatReply.ts';
import type { HeartbeatRequest as _mwlab_HeartbeatRequest, HeartbeatRequest__Output as _mwlab_HeartbeatRequest__Output } from './mwlab/HeartbeatRequest.ts';
import type { ListReviewsRequest as _mwlab_ListReviewsRequest, ListReviewsRequest__Output as _mwlab_ListReviewsRequest__Output } from './mwlab/ListReviewsRequest.ts';
import type { ModerateRequest as _mwlab_ModerateRequest, ModerateRequest__Output as _mwlab_ModerateRequest__Output } from './mwlab/ModerateRequest.ts';
import type { ModerateStreamReply as _mwlab_ModerateStreamReply, ModerateStreamReply__Output as _mwlab_ModerateStreamReply__Output } from './mwlab/ModerateStreamReply.ts';
import type { ModerateStreamRequest as _mwlab_ModerateStreamRequest, ModerateStreamRequest__Output as _mwlab_ModerateStreamRequest__Output } from './mwlab/ModerateStreamRequest.ts';
import type { Moderated as _mwlab_Moderated, Moderated__Output as _mwlab_Moderated__Output } from './mwlab/Moderated.ts';
import type { ProductStats as _mwlab_ProductStats, ProductStats__Output as _mwlab_ProductStats__Output } from './mwlab/ProductStats.ts';
import type { ProductStatsRequest as _mwlab_ProductStatsRequest, ProductStatsRequest__Output as _mwlab_ProductStatsRequest__Output } from './mwlab/ProductStatsRequest.ts';
import type { RegisterReply as _mwlab_RegisterReply, RegisterReply__Output as _mwlab_RegisterReply__Output } from './mwlab/RegisterReply.ts';
import type { RegisterRequest as _mwlab_RegisterRequest, RegisterRequest__Output as _mwlab_RegisterRequest__Output } from './mwlab/RegisterRequest.ts';
import type { Review as _mwlab_Review, Review__Output as _mwlab_Review__Output } from './mwlab/Review.ts';
import type { ReviewList as _mwlab_ReviewList, ReviewList__Output as _mwlab_ReviewList__Output } from './mwlab/ReviewList.ts';
import type { ReviewServiceClient as _mwlab_ReviewServiceClient, ReviewServiceDefinition as _mwlab_ReviewServiceDefinition } from './mwlab/ReviewService.ts';
import type { SubmitReviewRequest as _mwlab_SubmitReviewRequest, SubmitReviewRequest__Output as _mwlab_SubmitReviewRequest__Output } from './mwlab/SubmitReviewRequest.ts';
import type { SubscribeRequest as _mwlab_SubscribeRequest, SubscribeRequest__Output as _mwlab_SubscribeRequest__Output } from './mwlab/SubscribeRequest.ts';
import type { TrendingEntry as _mwlab_TrendingEntry, TrendingEntry__Output as _mwlab_TrendingEntry__Output } from './mwlab/TrendingEntry.ts';
import type { TrendingList as _mwlab_TrendingList, TrendingList__Output as _mwlab_TrendingList__Output } from './mwlab/TrendingList.ts';
import type { TrendingRequest as _mwlab_TrendingRequest, TrendingRequest__Output as _mwlab_TrendingRequest__Output } from './mwlab/TrendingRequest.ts';
import type { TrendingUpdate as _mwlab_TrendingUpdate, TrendingUpdate__Output as _mwlab_TrendingUpdate__Output } from './mwlab/TrendingUpdate.ts';
import type { WorkerInfo as _mwlab_WorkerInfo, WorkerInfo__Output as _mwlab_WorkerInfo__Output } from './mwlab/WorkerInfo.ts';
import type { WorkerList as _mwlab_WorkerList, WorkerList__Output as _mwlab_WorkerList__Output } from './mwlab/WorkerList.ts';
import type { WorkersRequest as _mwlab_WorkersRequest, WorkersRequest__Output as _mwlab_WorkersRequest__Output } from './mwlab/WorkersRequest.ts';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  mwlab: {
    CallError: MessageTypeDefinition<_mwlab_CallError, _mwlab_CallError__Output>
    /**
     * Served by a master only: workers register and heartbeat, clients ask for the live list.
     */
    Cluster: SubtypeConstructor<typeof grpc.Client, _mwlab_ClusterClient> & { service: _mwlab_ClusterDefinition }
    Cost: MessageTypeDefinition<_mwlab_Cost, _mwlab_Cost__Output>
    DeregisterReply: MessageTypeDefinition<_mwlab_DeregisterReply, _mwlab_DeregisterReply__Output>
    DeregisterRequest: MessageTypeDefinition<_mwlab_DeregisterRequest, _mwlab_DeregisterRequest__Output>
    HeartbeatReply: MessageTypeDefinition<_mwlab_HeartbeatReply, _mwlab_HeartbeatReply__Output>
    HeartbeatRequest: MessageTypeDefinition<_mwlab_HeartbeatRequest, _mwlab_HeartbeatRequest__Output>
    ListReviewsRequest: MessageTypeDefinition<_mwlab_ListReviewsRequest, _mwlab_ListReviewsRequest__Output>
    ModerateRequest: MessageTypeDefinition<_mwlab_ModerateRequest, _mwlab_ModerateRequest__Output>
    ModerateStreamReply: MessageTypeDefinition<_mwlab_ModerateStreamReply, _mwlab_ModerateStreamReply__Output>
    ModerateStreamRequest: MessageTypeDefinition<_mwlab_ModerateStreamRequest, _mwlab_ModerateStreamRequest__Output>
    Moderated: MessageTypeDefinition<_mwlab_Moderated, _mwlab_Moderated__Output>
    ProductStats: MessageTypeDefinition<_mwlab_ProductStats, _mwlab_ProductStats__Output>
    ProductStatsRequest: MessageTypeDefinition<_mwlab_ProductStatsRequest, _mwlab_ProductStatsRequest__Output>
    RegisterReply: MessageTypeDefinition<_mwlab_RegisterReply, _mwlab_RegisterReply__Output>
    RegisterRequest: MessageTypeDefinition<_mwlab_RegisterRequest, _mwlab_RegisterRequest__Output>
    Review: MessageTypeDefinition<_mwlab_Review, _mwlab_Review__Output>
    ReviewList: MessageTypeDefinition<_mwlab_ReviewList, _mwlab_ReviewList__Output>
    ReviewService: SubtypeConstructor<typeof grpc.Client, _mwlab_ReviewServiceClient> & { service: _mwlab_ReviewServiceDefinition }
    SubmitReviewRequest: MessageTypeDefinition<_mwlab_SubmitReviewRequest, _mwlab_SubmitReviewRequest__Output>
    SubscribeRequest: MessageTypeDefinition<_mwlab_SubscribeRequest, _mwlab_SubscribeRequest__Output>
    TrendingEntry: MessageTypeDefinition<_mwlab_TrendingEntry, _mwlab_TrendingEntry__Output>
    TrendingList: MessageTypeDefinition<_mwlab_TrendingList, _mwlab_TrendingList__Output>
    TrendingRequest: MessageTypeDefinition<_mwlab_TrendingRequest, _mwlab_TrendingRequest__Output>
    TrendingUpdate: MessageTypeDefinition<_mwlab_TrendingUpdate, _mwlab_TrendingUpdate__Output>
    WorkerInfo: MessageTypeDefinition<_mwlab_WorkerInfo, _mwlab_WorkerInfo__Output>
    WorkerList: MessageTypeDefinition<_mwlab_WorkerList, _mwlab_WorkerList__Output>
    WorkersRequest: MessageTypeDefinition<_mwlab_WorkersRequest, _mwlab_WorkersRequest__Output>
  }
}

