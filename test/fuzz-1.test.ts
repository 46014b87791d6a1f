import { describeFuzzHalf } from "./fuzz-cases.js";

/*
 * Whatever a developer types, the answer is a synth or a clear error naming file, entry and
 * field; never a crash, a stack trace or partial output. Two files so both test workers share
 * the cases (FUZZ_RUNS each); each half has its own seed.
 */
describeFuzzHalf(1, 20261122);
