// Original file: grpc/review.proto


export interface Cost {
  'cpuMicros'?: (number);
  'ioMillis'?: (number);
  '_cpuMicros'?: "cpuMicros";
  '_ioMillis'?: "ioMillis";
}

export interface Cost__Output {
  'cpuMicros'?: (number);
  'ioMillis'?: (number);
  '_cpuMicros'?: "cpuMicros";
  '_ioMillis'?: "ioMillis";
}
