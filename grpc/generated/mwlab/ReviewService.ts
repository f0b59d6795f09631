// Original file: grpc/review.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ListReviewsRequest as _mwlab_ListReviewsRequest, ListReviewsRequest__Output as _mwlab_ListReviewsRequest__Output } from '../mwlab/ListReviewsRequest.ts';
import type { ModerateRequest as _mwlab_ModerateRequest, ModerateRequest__Output as _mwlab_ModerateRequest__Output } from '../mwlab/ModerateRequest.ts';
import type { ModerateStreamReply as _mwlab_ModerateStreamReply, ModerateStreamReply__Output as _mwlab_ModerateStreamReply__Output } from '../mwlab/ModerateStreamReply.ts';
import type { ModerateStreamRequest as _mwlab_ModerateStreamRequest, ModerateStreamRequest__Output as _mwlab_ModerateStreamRequest__Output } from '../mwlab/ModerateStreamRequest.ts';
import type { Moderated as _mwlab_Moderated, Moderated__Output as _mwlab_Moderated__Output } from '../mwlab/Moderated.ts';
import type { ProductStats as _mwlab_ProductStats, ProductStats__Output as _mwlab_ProductStats__Output } from '../mwlab/ProductStats.ts';
import type { ProductStatsRequest as _mwlab_ProductStatsRequest, ProductStatsRequest__Output as _mwlab_ProductStatsRequest__Output } from '../mwlab/ProductStatsRequest.ts';
import type { Review as _mwlab_Review, Review__Output as _mwlab_Review__Output } from '../mwlab/Review.ts';
import type { ReviewList as _mwlab_ReviewList, ReviewList__Output as _mwlab_ReviewList__Output } from '../mwlab/ReviewList.ts';
import type { SubmitReviewRequest as _mwlab_SubmitReviewRequest, SubmitReviewRequest__Output as _mwlab_SubmitReviewRequest__Output } from '../mwlab/SubmitReviewRequest.ts';
import type { SubscribeRequest as _mwlab_SubscribeRequest, SubscribeRequest__Output as _mwlab_SubscribeRequest__Output } from '../mwlab/SubscribeRequest.ts';
import type { TrendingList as _mwlab_TrendingList, TrendingList__Output as _mwlab_TrendingList__Output } from '../mwlab/TrendingList.ts';
import type { TrendingRequest as _mwlab_TrendingRequest, TrendingRequest__Output as _mwlab_TrendingRequest__Output } from '../mwlab/TrendingRequest.ts';
import type { TrendingUpdate as _mwlab_TrendingUpdate, TrendingUpdate__Output as _mwlab_TrendingUpdate__Output } from '../mwlab/TrendingUpdate.ts';

export interface ReviewServiceClient extends grpc.Client {
  ListReviews(argument: _mwlab_ListReviewsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mwlab_ReviewList__Output>): grpc.ClientUnaryCall;
  ListReviews(argument: _mwlab_ListReviewsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mwlab_ReviewList__Output>): grpc.ClientUnaryCall;
  ListReviews(argument: _mwlab_ListReviewsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mwlab_ReviewList__Output>): grpc.ClientUnaryCall;
  ListReviews(argument: _mwlab_ListReviewsRequest, callback: grpc.requestCallback<_mwlab_ReviewList__Output>): grpc.ClientUnaryCall;
  listReviews(argument: _mwlab_ListReviewsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mwlab_ReviewList__Output>): grpc.ClientUnaryCall;
  listReviews(argument: _mwlab_ListReviewsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mwlab_ReviewList__Output>): grpc.ClientUnaryCall;
  listReviews(argument: _mwlab_ListReviewsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mwlab_ReviewList__Output>): grpc.ClientUnaryCall;
  listReviews(argument: _mwlab_ListReviewsRequest, callback: grpc.requestCallback<_mwlab_ReviewList__Output>): grpc.ClientUnaryCall;
  
  Moderate(argument: _mwlab_ModerateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mwlab_Moderated__Output>): grpc.ClientUnaryCall;
  Moderate(argument: _mwlab_ModerateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mwlab_Moderated__Output>): grpc.ClientUnaryCall;
  Moderate(argument: _mwlab_ModerateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mwlab_Moderated__Output>): grpc.ClientUnaryCall;
  Moderate(argument: _mwlab_ModerateRequest, callback: grpc.requestCallback<_mwlab_Moderated__Output>): grpc.ClientUnaryCall;
  moderate(argument: _mwlab_ModerateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mwlab_Moderated__Output>): grpc.ClientUnaryCall;
  moderate(argument: _mwlab_ModerateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mwlab_Moderated__Output>): grpc.ClientUnaryCall;
  moderate(argument: _mwlab_ModerateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mwlab_Moderated__Output>): grpc.ClientUnaryCall;
  moderate(argument: _mwlab_ModerateRequest, callback: grpc.requestCallback<_mwlab_Moderated__Output>): grpc.ClientUnaryCall;
  
  /**
   * Many moderate calls on one bidirectional stream (the client's batch mode): no stream
   * set-up per call. Each reply carries the seq of its request; replies may come in any order.
   */
  ModerateStream(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_mwlab_ModerateStreamRequest, _mwlab_ModerateStreamReply__Output>;
  ModerateStream(options?: grpc.CallOptions): grpc.ClientDuplexStream<_mwlab_ModerateStreamRequest, _mwlab_ModerateStreamReply__Output>;
  /**
   * Many moderate calls on one bidirectional stream (the client's batch mode): no stream
   * set-up per call. Each reply carries the seq of its request; replies may come in any order.
   */
  moderateStream(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_mwlab_ModerateStreamRequest, _mwlab_ModerateStreamReply__Output>;
  moderateStream(options?: grpc.CallOptions): grpc.ClientDuplexStream<_mwlab_ModerateStreamRequest, _mwlab_ModerateStreamReply__Output>;
  
  ProductStats(argument: _mwlab_ProductStatsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mwlab_ProductStats__Output>): grpc.ClientUnaryCall;
  ProductStats(argument: _mwlab_ProductStatsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mwlab_ProductStats__Output>): grpc.ClientUnaryCall;
  ProductStats(argument: _mwlab_ProductStatsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mwlab_ProductStats__Output>): grpc.ClientUnaryCall;
  ProductStats(argument: _mwlab_ProductStatsRequest, callback: grpc.requestCallback<_mwlab_ProductStats__Output>): grpc.ClientUnaryCall;
  productStats(argument: _mwlab_ProductStatsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mwlab_ProductStats__Output>): grpc.ClientUnaryCall;
  productStats(argument: _mwlab_ProductStatsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mwlab_ProductStats__Output>): grpc.ClientUnaryCall;
  productStats(argument: _mwlab_ProductStatsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mwlab_ProductStats__Output>): grpc.ClientUnaryCall;
  productStats(argument: _mwlab_ProductStatsRequest, callback: grpc.requestCallback<_mwlab_ProductStats__Output>): grpc.ClientUnaryCall;
  
  SubmitReview(argument: _mwlab_SubmitReviewRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mwlab_Review__Output>): grpc.ClientUnaryCall;
  SubmitReview(argument: _mwlab_SubmitReviewRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mwlab_Review__Output>): grpc.ClientUnaryCall;
  SubmitReview(argument: _mwlab_SubmitReviewRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mwlab_Review__Output>): grpc.ClientUnaryCall;
  SubmitReview(argument: _mwlab_SubmitReviewRequest, callback: grpc.requestCallback<_mwlab_Review__Output>): grpc.ClientUnaryCall;
  submitReview(argument: _mwlab_SubmitReviewRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mwlab_Review__Output>): grpc.ClientUnaryCall;
  submitReview(argument: _mwlab_SubmitReviewRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mwlab_Review__Output>): grpc.ClientUnaryCall;
  submitReview(argument: _mwlab_SubmitReviewRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mwlab_Review__Output>): grpc.ClientUnaryCall;
  submitReview(argument: _mwlab_SubmitReviewRequest, callback: grpc.requestCallback<_mwlab_Review__Output>): grpc.ClientUnaryCall;
  
  /**
   * Every trending broadcast from now on, until the client cancels.
   */
  Subscribe(argument: _mwlab_SubscribeRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_mwlab_TrendingUpdate__Output>;
  Subscribe(argument: _mwlab_SubscribeRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_mwlab_TrendingUpdate__Output>;
  /**
   * Every trending broadcast from now on, until the client cancels.
   */
  subscribe(argument: _mwlab_SubscribeRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_mwlab_TrendingUpdate__Output>;
  subscribe(argument: _mwlab_SubscribeRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_mwlab_TrendingUpdate__Output>;
  
  Trending(argument: _mwlab_TrendingRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mwlab_TrendingList__Output>): grpc.ClientUnaryCall;
  Trending(argument: _mwlab_TrendingRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mwlab_TrendingList__Output>): grpc.ClientUnaryCall;
  Trending(argument: _mwlab_TrendingRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mwlab_TrendingList__Output>): grpc.ClientUnaryCall;
  Trending(argument: _mwlab_TrendingRequest, callback: grpc.requestCallback<_mwlab_TrendingList__Output>): grpc.ClientUnaryCall;
  trending(argument: _mwlab_TrendingRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mwlab_TrendingList__Output>): grpc.ClientUnaryCall;
  trending(argument: _mwlab_TrendingRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mwlab_TrendingList__Output>): grpc.ClientUnaryCall;
  trending(argument: _mwlab_TrendingRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mwlab_TrendingList__Output>): grpc.ClientUnaryCall;
  trending(argument: _mwlab_TrendingRequest, callback: grpc.requestCallback<_mwlab_TrendingList__Output>): grpc.ClientUnaryCall;
  
}

export interface ReviewServiceHandlers extends grpc.UntypedServiceImplementation {
  ListReviews: grpc.handleUnaryCall<_mwlab_ListReviewsRequest__Output, _mwlab_ReviewList>;
  
  Moderate: grpc.handleUnaryCall<_mwlab_ModerateRequest__Output, _mwlab_Moderated>;
  
  /**
   * Many moderate calls on one bidirectional stream (the client's batch mode): no stream
   * set-up per call. Each reply carries the seq of its request; replies may come in any order.
   */
  ModerateStream: grpc.handleBidiStreamingCall<_mwlab_ModerateStreamRequest__Output, _mwlab_ModerateStreamReply>;
  
  ProductStats: grpc.handleUnaryCall<_mwlab_ProductStatsRequest__Output, _mwlab_ProductStats>;
  
  SubmitReview: grpc.handleUnaryCall<_mwlab_SubmitReviewRequest__Output, _mwlab_Review>;
  
  /**
   * Every trending broadcast from now on, until the client cancels.
   */
  Subscribe: grpc.handleServerStreamingCall<_mwlab_SubscribeRequest__Output, _mwlab_TrendingUpdate>;
  
  Trending: grpc.handleUnaryCall<_mwlab_TrendingRequest__Output, _mwlab_TrendingList>;
  
}

export interface ReviewServiceDefinition extends grpc.ServiceDefinition {
  ListReviews: MethodDefinition<_mwlab_ListReviewsRequest, _mwlab_ReviewList, _mwlab_ListReviewsRequest__Output, _mwlab_ReviewList__Output>
  Moderate: MethodDefinition<_mwlab_ModerateRequest, _mwlab_Moderated, _mwlab_ModerateRequest__Output, _mwlab_Moderated__Output>
  ModerateStream: MethodDefinition<_mwlab_ModerateStreamRequest, _mwlab_ModerateStreamReply, _mwlab_ModerateStreamRequest__Output, _mwlab_ModerateStreamReply__Output>
  ProductStats: MethodDefinition<_mwlab_ProductStatsRequest, _mwlab_ProductStats, _mwlab_ProductStatsRequest__Output, _mwlab_ProductStats__Output>
  SubmitReview: MethodDefinition<_mwlab_SubmitReviewRequest, _mwlab_Review, _mwlab_SubmitReviewRequest__Output, _mwlab_Review__Output>
  Subscribe: MethodDefinition<_mwlab_SubscribeRequest, _mwlab_TrendingUpdate, _mwlab_SubscribeRequest__Output, _mwlab_TrendingUpdate__Output>
  Trending: MethodDefinition<_mwlab_TrendingRequest, _mwlab_TrendingList, _mwlab_TrendingRequest__Output, _mwlab_TrendingList__Output>
}
