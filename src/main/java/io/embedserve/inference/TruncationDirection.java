package io.embedserve.inference;

/** Which end of an over-long input is cut, as TEI's {@code truncation_direction}. */
public enum TruncationDirection {
    RIGHT,
    LEFT
}
