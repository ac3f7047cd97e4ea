export * from './status.ts';
export * from './transliterate.ts';
