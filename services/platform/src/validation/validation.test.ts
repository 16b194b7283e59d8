import { z } from 'zod';
import { InputError } from '../errors';
import { jsonPointer, validate } from '.';

describe('validate', () => {
  const schema = z.object({
    child: z.object({
      ageYears: z.number().int(),
      names: z.array(z.object({ given: z.string().min(1) })),
    }),
  });

  it('returns the parsed value', () => {
    expect(validate(schema, { child: { ageYears: 3, names: [{ given: 'Анна' }] } })).toEqual({
      child: { ageYears: 3, names: [{ given: 'Анна' }] },
    });
  });

  it.each([
    [{ child: { ageYears: 'three', names: [] } }, ['/child/ageYears']],
    [
      { child: { ageYears: 3.5, names: [{ given: '' }] } },
      ['/child/ageYears', '/child/names/0/given'],
    ],
    [{}, ['/child']],
    ['not an object', ['']],
  ])('names each invalid field of %j by JSON Pointer', (input, paths) => {
    try {
      validate(schema, input);
      throw new Error('expected an InputError');
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).errors.map((e) => e.path)).toEqual(paths);
    }
  });

  it.each([
    [['a', 0, 'b'], '/a/0/b'],
    [['a/b', 'c~d'], '/a~1b/c~0d'],
    [[], ''],
  ])('jsonPointer(%j) is %s', (path, pointer) => {
    expect(jsonPointer(path)).toBe(pointer);
  });
});
