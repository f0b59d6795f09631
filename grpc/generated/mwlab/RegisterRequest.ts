// Original file: grpc/review.proto


export interface RegisterRequest {
  'id'?: (string);
  /**
   * where clients reach the worker, host:port
   */
  'address'?: (string);
  /**
   * OS process id, for the master's workers() listing
   */
  'pid'?: (number);
  '_pid'?: "pid";
}

export interface RegisterRequest__Output {
  'id': (string);
  /**
   * where clients reach the worker, host:port
   */
  'address': (string);
  /**
   * OS process id, for the master's workers() listing
   */
  'pid'?: (number);
  '_pid'?: "pid";
}
