package io.embedserve.inference;

/**
 * One token as TEI's {@code /tokenize} reports it.
 *
 * @param id the vocabulary id
 * @param text the token's text as it appears in the input (empty for added special tokens)
 * @param special whether the tokenizer added it (CLS, SEP, BOS, EOS, ...)
 * @param start char offset of the first character, null for special tokens
 * @param stop char offset after the last character, null for special tokens
 */
public record Token(long id, String text, boolean special, Integer start, Integer stop) {}
