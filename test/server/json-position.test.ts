import { describe, expect, it } from 'vitest';
import { jsonErrorOffset } from '../../src/server/json-position.ts';

describe('jsonErrorOffset', () => {
  it.each([
    ['{"a": 1, "b": [true, false, null, "x\\u00e9", -1.5e3]}', undefined],
    ['{"a": }', 6],
    ['{"a": 1,}', 8],
    ['[1 2]', 3],
    ['{"a": "line\nbreak"}', 11],
    ['{"a": tru}', 9],
    ['{"a": 1} x', 9],
    ['', 0],
    ['{"a": "\\x"}', 8],
  ])('%j fails at %j', (text, offset) => {
    expect(jsonErrorOffset(text)).toBe(offset);
    if (offset === undefined) expect(() => JSON.parse(text)).not.toThrow();
    else expect(() => JSON.parse(text)).toThrow(SyntaxError);
  });
});
