// Original file: grpc/review.proto

import type { Cost as _mwlab_Cost, Cost__Output as _mwlab_Cost__Output } from '../mwlab/Cost.ts';

export interface ModerateRequest {
  'text'?: (string);
  'cost'?: (_mwlab_Cost | null);
  'requestId'?: (string);
  '_text'?: "text";
  '_cost'?: "cost";
  '_requestId'?: "requestId";
}

export interface ModerateRequest__Output {
  'text'?: (string);
  'cost'?: (_mwlab_Cost__Output | null);
  'requestId'?: (string);
  '_text'?: "text";
  '_cost'?: "cost";
  '_requestId'?: "requestId";
}
