// Original file: grpc/review.proto

import type { ModerateRequest as _mwlab_ModerateRequest, ModerateRequest__Output as _mwlab_ModerateRequest__Output } from '../mwlab/ModerateRequest.ts';
import type { Long } from '@grpc/proto-loader';

export interface ModerateStreamRequest {
  'seq'?: (number | string | Long);
  'request'?: (_mwlab_ModerateRequest | null);
}

export interface ModerateStreamRequest__Output {
  'seq': (number);
  'request': (_mwlab_ModerateRequest__Output | null);
}
