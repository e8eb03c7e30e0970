import { describe, expect, it, test } from 'vitest';
import { slugify, truncate, wordCount } from '../../src/text.js';

describe('slugify', () => {
  it('lowercases and joins words', () => {
    expect(slugify('Hello World')).toBe('hello-world');
  });
  it('collapses separators', () => {
    expect(slugify('  a--b  ')).toBe('a-b');
  });
});

describe('truncate', () => {
  it('keeps short text', () => {
    expect(truncate('abc', 5)).toBe('abc');
  });
  it('adds an ellipsis', () => {
    // Deliberate failure: the ellipsis counts towards the width.
    expect(truncate('abcdefgh', 5)).toBe('abcde...');
  });
});

test('wordCount', () => {
  expect(wordCount('  two words ')).toBe(2);
});

test.skip('wordCount handles unicode spaces', () => {
  expect(wordCount('a\u2003b')).toBe(2);
});
test.todo('truncate respects grapheme clusters');
