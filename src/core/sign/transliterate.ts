/**
 * Text for LED fonts and naive firmware: printable ASCII only. An explicit table
 * for French and the national languages first (issue: "tested character by
 * character, not only by stripping accents"), then canonical decomposition for
 * other accented Latin letters, then "?" for anything left.
 */
// One line per script reads better than one line per letter:
// prettier-ignore
export const ASCII_TABLE: Readonly<Record<string, string>> = {
  // French
  à: 'a', â: 'a', ä: 'a', á: 'a', ã: 'a', ā: 'a', ǎ: 'a',
  À: 'A', Â: 'A', Ä: 'A', Á: 'A', Ã: 'A', Ā: 'A', Ǎ: 'A',
  ç: 'c', Ç: 'C',
  é: 'e', è: 'e', ê: 'e', ë: 'e', ẽ: 'e', ē: 'e', ě: 'e',
  É: 'E', È: 'E', Ê: 'E', Ë: 'E', Ẽ: 'E', Ē: 'E', Ě: 'E',
  î: 'i', ï: 'i', í: 'i', ì: 'i', ĩ: 'i', ī: 'i', ǐ: 'i',
  Î: 'I', Ï: 'I', Í: 'I', Ì: 'I', Ĩ: 'I', Ī: 'I', Ǐ: 'I',
  ô: 'o', ö: 'o', ó: 'o', ò: 'o', õ: 'o', ō: 'o', ǒ: 'o',
  Ô: 'O', Ö: 'O', Ó: 'O', Ò: 'O', Õ: 'O', Ō: 'O', Ǒ: 'O',
  ù: 'u', û: 'u', ü: 'u', ú: 'u', ũ: 'u', ū: 'u', ǔ: 'u',
  Ù: 'U', Û: 'U', Ü: 'U', Ú: 'U', Ũ: 'U', Ū: 'U', Ǔ: 'U',
  ÿ: 'y', Ÿ: 'Y', ñ: 'n', Ñ: 'N',
  œ: 'oe', Œ: 'OE', æ: 'ae', Æ: 'AE',
  // Fon, Gun, Adja and other Gbe languages; Bariba; Dendi
  ɛ: 'e', Ɛ: 'E', ɔ: 'o', Ɔ: 'O', ɖ: 'd', Ɖ: 'D', ŋ: 'n', Ŋ: 'N', ɣ: 'g', Ɣ: 'G', ʋ: 'v', Ʋ: 'V', ƒ: 'f', Ƒ: 'F',
  // Yoruba
  ẹ: 'e', Ẹ: 'E', ọ: 'o', Ọ: 'O', ṣ: 's', Ṣ: 'S', ń: 'n', Ń: 'N', ǹ: 'n', Ǹ: 'N', ḿ: 'm', Ḿ: 'M',
  // Punctuation and spaces
  '«': '"', '»': '"', '“': '"', '”': '"', '„': '"', '‘': "'", '’': "'", ʼ: "'", '‚': "'",
  '–': '-', '—': '-', '‐': '-', '‑': '-', '−': '-', '…': '...', '·': '.', '•': '*',
  '\u00a0': ' ', '\u202f': ' ', '\u2009': ' ', '\u2002': ' ', '\u2003': ' ', '\t': ' ', '\n': ' ', '\r': ' ',
  '€': 'EUR', '°': 'o', '№': 'No', '×': 'x', '©': '(c)', '®': '(R)', '™': 'TM',
};

/** Combining marks: tones (acute, grave, circumflex, tilde, macron, caron), dot below, cedilla… */
const COMBINING = /\p{M}/gu;

const IS_COMBINING = /^\p{M}$/u;

/** One character (a code point) to ASCII. */
function toAscii(ch: string): string {
  if (ch >= ' ' && ch <= '~') return ch;
  const mapped = ASCII_TABLE[ch];
  if (mapped !== undefined) return mapped;
  // A letter with tone marks not in the table (e.g. ɔ̀ arrives as ɔ + U+0300): decompose.
  const base = ch.normalize('NFD').replace(COMBINING, '');
  if (base !== ch) return [...base].map(toAscii).join('');
  if (IS_COMBINING.test(ch)) return '';
  return '?';
}

/** Printable ASCII for LED fonts: French and national-language letters folded, tone marks dropped. */
export function transliterate(text: string): string {
  // NFC first, so that a letter and its combining accent reach the table as one character.
  return [...text.normalize('NFC')].map(toAscii).join('').replace(/ {2,}/g, ' ').trim();
}

/** Cuts text to at most `max` characters (code points), with "..." when it had to cut. */
export function fitText(text: string, max: number, ellipsis = '...'): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  const cut = chars.slice(0, max - [...ellipsis].length).join('');
  // Prefer a word boundary when one is near the end.
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}${ellipsis}`;
}
