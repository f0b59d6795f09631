// Original file: grpc/review.proto


export interface Moderated {
  'text'?: (string);
  'hits'?: (number);
}

export interface Moderated__Output {
  'text': (string);
  'hits': (number);
}
