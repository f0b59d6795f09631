// Original file: grpc/review.proto


export interface HeartbeatReply {
  /**
   * false when the master no longer knows this worker (evicted or restarted): register again
   */
  'known'?: (boolean);
}

export interface HeartbeatReply__Output {
  /**
   * false when the master no longer knows this worker (evicted or restarted): register again
   */
  'known': (boolean);
}
