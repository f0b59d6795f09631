// Original file: grpc/review.proto

import type { WorkerInfo as _mwlab_WorkerInfo, WorkerInfo__Output as _mwlab_WorkerInfo__Output } from '../mwlab/WorkerInfo.ts';

export interface WorkerList {
  'workers'?: (_mwlab_WorkerInfo)[];
}

export interface WorkerList__Output {
  'workers': (_mwlab_WorkerInfo__Output)[];
}
