import { describe, expect, it } from 'vitest';
import { ASCII_TABLE, fitText, transliterate } from '../../../src/core/index.ts';

describe('transliterate', () => {
  // Character by character: the table, not only accent stripping (issue 6).
  it.each([
    ['é', 'e'],
    ['è', 'e'],
    ['ê', 'e'],
    ['ë', 'e'],
    ['à', 'a'],
    ['â', 'a'],
    ['ç', 'c'],
    ['î', 'i'],
    ['ï', 'i'],
    ['ô', 'o'],
    ['ù', 'u'],
    ['û', 'u'],
    ['ü', 'u'],
    ['ÿ', 'y'],
    ['É', 'E'],
    ['À', 'A'],
    ['Ç', 'C'],
    ['œ', 'oe'],
    ['Œ', 'OE'],
    ['æ', 'ae'],
    ['«', '"'],
    ['»', '"'],
    ['’', "'"],
    ['–', '-'],
    ['—', '-'],
    ['…', '...'],
    ['\u202f', ' '],
    ['\u00a0', ' '],
    ['ɛ', 'e'],
    ['Ɛ', 'E'],
    ['ɔ', 'o'],
    ['Ɔ', 'O'],
    ['ɖ', 'd'],
    ['Ɖ', 'D'],
    ['ŋ', 'n'],
    ['ẹ', 'e'],
    ['ọ', 'o'],
    ['ṣ', 's'],
    ['Ẹ', 'E'],
    ['Ṣ', 'S'],
    ['€', 'EUR'],
    ['°', 'o'],
  ])('%s → %s', (input, expected) => {
    expect(transliterate(`a${input}b`)).toBe(`a${expected}b`.replace(/ {2,}/g, ' '));
  });

  it('drops tone marks, precomposed or combining (Fon and Yoruba)', () => {
    expect(transliterate('fɔ̀ngbè')).toBe('fongbe'); // ɔ + U+0300
    expect(transliterate('Ẹ kú àbọ̀')).toBe('E ku abo');
    expect(transliterate('ɛ́ ɔ̃ ǹ')).toBe('e o n');
    expect(transliterate('e\u0301\u0300')).toBe('e');
  });

  it('gives only printable ASCII, whatever comes in', () => {
    const all = Object.keys(ASCII_TABLE).join('') + 'Добро 欢迎 🙂 \u0007';
    expect(transliterate(all)).toMatch(/^[\x20-\x7e]*$/);
    expect(transliterate('欢迎')).toBe('??');
  });

  it('turns the sample texts into what an LED font can show', () => {
    expect(transliterate('FERMÉ — réouverture lundi 8 h')).toBe('FERME - reouverture lundi 8 h');
    expect(transliterate('Casier judiciaire : 1\u202f900 FCFA')).toBe('Casier judiciaire : 1 900 FCFA');
  });
});

describe('fitText', () => {
  it('keeps short text and cuts long text at a word with an ellipsis', () => {
    expect(fitText('OUVERT', 64)).toBe('OUVERT');
    const cut = fitText(
      'Le point focal du CCSP vous accompagne gratuitement dans vos démarches en ligne',
      40,
    );
    expect([...cut].length).toBeLessThanOrEqual(40);
    expect(cut).toBe('Le point focal du CCSP vous...');
  });
});
