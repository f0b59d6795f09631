// Original file: grpc/review.proto

import type { Moderated as _mwlab_Moderated, Moderated__Output as _mwlab_Moderated__Output } from '../mwlab/Moderated.ts';
import type { CallError as _mwlab_CallError, CallError__Output as _mwlab_CallError__Output } from '../mwlab/CallError.ts';
import type { Long } from '@grpc/proto-loader';

export interface ModerateStreamReply {
  'seq'?: (number | string | Long);
  'result'?: (_mwlab_Moderated | null);
  'error'?: (_mwlab_CallError | null);
}

export interface ModerateStreamReply__Output {
  'seq': (number);
  'result': (_mwlab_Moderated__Output | null);
  'error': (_mwlab_CallError__Output | null);
}
