import { describe, expect, test } from '@jest/globals';
import { slugify, truncate } from '../../src/text.js';

describe('text (jest)', () => {
  test('slugify', () => {
    expect(slugify('Hello World')).toBe('hello-world');
  });
  test('truncate keeps short text', () => {
    expect(truncate('abc', 5)).toBe('abc');
  });
  test('truncate adds an ellipsis', () => {
    expect(truncate('abcdefgh', 5)).toBe('ab...');
  });
  test.skip('truncate handles emoji', () => {
    expect(truncate('😀😀😀', 2)).toBe('😀');
  });
  test.todo('truncate respects grapheme clusters');
});
