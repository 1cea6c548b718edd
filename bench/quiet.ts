/** Imported first by the benchmarks: the API's request log would bury the figures. */
process.env.LOG_LEVEL ??= 'warn';
