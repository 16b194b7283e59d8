import { newKey, open, seal, SealBrokenError, type Sealed } from './sealing';

const key = newKey();
const plain = Buffer.from('{"names":[{"given":"Zofia"}]}', 'utf8');

describe('seal and open (AES-256-GCM)', () => {
  it('opens what it sealed, and never shows the clear bytes in what it sealed', () => {
    const sealed = seal(plain, key, 'k1', 'case-a');
    expect(open(sealed, key, 'case-a')).toEqual(plain);
    expect(sealed.ciphertext.includes(Buffer.from('Zofia'))).toBe(false);
    expect(sealed.iv).toHaveLength(12);
    expect(sealed.ciphertext).toHaveLength(plain.length + 16);
  });

  it('takes a fresh nonce each time', () => {
    const [a, b] = [seal(plain, key, 'k1', 'case-a'), seal(plain, key, 'k1', 'case-a')];
    expect(a.iv.equals(b.iv)).toBe(false);
    expect(a.ciphertext.equals(b.ciphertext)).toBe(false);
  });

  const flipped = (bytes: Buffer, at: number): Buffer => {
    const copy = Buffer.from(bytes);
    copy[at] = copy[at]! ^ 0x01;
    return copy;
  };
  const good = seal(plain, key, 'k1', 'case-a');
  it.each<[string, Sealed, Buffer, string]>([
    ['another key', good, newKey(), 'case-a'],
    ['another case', good, key, 'case-b'],
    ['another key id', { ...good, keyId: 'k2' }, key, 'case-a'],
    [
      'a changed byte of the text',
      { ...good, ciphertext: flipped(good.ciphertext, 0) },
      key,
      'case-a',
    ],
    [
      'a changed byte of the tag',
      { ...good, ciphertext: flipped(good.ciphertext, good.ciphertext.length - 1) },
      key,
      'case-a',
    ],
    ['a changed nonce', { ...good, iv: flipped(good.iv, 3) }, key, 'case-a'],
    ['a short nonce', { ...good, iv: good.iv.subarray(0, 8) }, key, 'case-a'],
    ['no tag', { ...good, ciphertext: Buffer.alloc(4) }, key, 'case-a'],
    ['a short key', good, key.subarray(0, 16), 'case-a'],
  ])('refuses to open with %s', (_, sealed, withKey, context) => {
    expect(() => open(sealed, withKey, context)).toThrow(SealBrokenError);
  });

  it('names the key but never the bytes when it refuses', () => {
    try {
      open(good, newKey(), 'case-a');
      throw new Error('opened');
    } catch (error) {
      expect((error as SealBrokenError).message).toBe('Sealed bytes under key k1 do not open');
      expect((error as SealBrokenError).retriable).toBe(false);
    }
  });

  it('refuses a key that is not 32 bytes when sealing', () => {
    expect(() => seal(plain, Buffer.alloc(16), 'k1', 'case-a')).toThrow(RangeError);
  });
});
