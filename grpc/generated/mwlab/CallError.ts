// Original file: grpc/review.proto


/**
 * One call's outcome: its result, or the error a unary call would have had as its status.
 */
export interface CallError {
  /**
   * an mwlab error code (core/errors.ts), e.g. INVALID_ARGUMENT
   */
  'code'?: (string);
  'message'?: (string);
  /**
   * the offending field of an INVALID_ARGUMENT
   */
  'field'?: (string);
  '_field'?: "field";
}

/**
 * One call's outcome: its result, or the error a unary call would have had as its status.
 */
export interface CallError__Output {
  /**
   * an mwlab error code (core/errors.ts), e.g. INVALID_ARGUMENT
   */
  'code': (string);
  'message': (string);
  /**
   * the offending field of an INVALID_ARGUMENT
   */
  'field'?: (string);
  '_field'?: "field";
}
