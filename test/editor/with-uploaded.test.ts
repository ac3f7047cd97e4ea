import { expect, it } from 'vitest';
import { withUploaded } from '../../src/editor/with-uploaded.ts';

it('puts the uploaded file first, in place of the one with its name', () => {
  const a = { name: 'a.png', size: 1 };
  const b = { name: 'b.png', size: 2 };
  const again = { name: 'a.png', size: 3 };
  expect(withUploaded([a, b], again)).toEqual([again, b]);
  expect(withUploaded([b], a)).toEqual([a, b]);
  expect(withUploaded([], a)).toEqual([a]);
});
