/**
 * Language of a text when the page does not declare one: the script decides most cases (Arabic
 * script splits into Persian, Urdu and Arabic by their own letters), common function words
 * decide among Latin-script languages. Returns a BCP 47 primary tag or null when unsure.
 */

/** Fewer letters than this and the guess is not worth making. */
const MIN_LETTERS = 20;
/** Only the start of a long text is read: enough for a stable guess, cheap on 10 MB inputs. */
const SAMPLE_CHARS = 4000;

/** Letters only Persian uses (پ چ ژ گ, Persian yeh and keheh). */
const PERSIAN_LETTERS = /[\u067e\u0686\u0698\u06af\u06cc\u06a9]/g;
/** Letters only Arabic uses (Arabic yeh, kaf, teh marbuta). */
const ARABIC_LETTERS = /[\u064a\u0643\u0629]/g;
/** Letters only Urdu uses (ٹ ڈ ڑ ں ے). */
const URDU_LETTERS = /[\u0679\u0688\u0691\u06ba\u06d2]/g;

/** Scripts that name a language outright, with the tag they give. */
const SCRIPT_LANGUAGES: readonly { readonly pattern: RegExp; readonly tag: string }[] = [
  { pattern: /[\u3040-\u30ff]/g, tag: 'ja' },
  { pattern: /[\uac00-\ud7af]/g, tag: 'ko' },
  { pattern: /[\u4e00-\u9fff]/g, tag: 'zh' },
  { pattern: /[\u0590-\u05ff]/g, tag: 'he' },
  { pattern: /[\u0370-\u03ff]/g, tag: 'el' },
  { pattern: /[\u0900-\u097f]/g, tag: 'hi' },
  { pattern: /[\u0e00-\u0e7f]/g, tag: 'th' },
];

/** Function words of Latin-script languages: a text's most frequent hits name its language. */
const FUNCTION_WORDS: Readonly<Record<string, readonly string[]>> = {
  en: ['the', 'and', 'of', 'to', 'in', 'is', 'that', 'for', 'with', 'was', 'on', 'said', 'his', 'are', 'by'],
  fr: ['le', 'la', 'les', 'et', 'des', 'est', 'une', 'dans', 'que', 'pour', 'pas', 'sur', 'du', 'qui'],
  de: ['der', 'die', 'und', 'das', 'ist', 'nicht', 'mit', 'den', 'sich', 'auf', 'ein', 'eine', 'dem', 'auch'],
  es: ['el', 'los', 'las', 'y', 'que', 'en', 'del', 'por', 'una', 'para', 'con', 'es', 'se', 'su'],
  it: ['il', 'di', 'che', 'e', 'la', 'per', 'non', 'una', 'sono', 'della', 'gli', 'anche', 'nel', 'con'],
  pt: ['o', 'os', 'de', 'que', 'e', 'do', 'da', 'em', 'um', 'para', 'com', 'não', 'uma', 'no'],
  nl: ['de', 'het', 'een', 'van', 'en', 'is', 'dat', 'niet', 'op', 'met', 'voor', 'zijn', 'ook', 'maar'],
  tr: ['ve', 'bir', 'bu', 'da', 'de', 'için', 'ile', 'olarak', 'daha', 'çok', 'olan', 'gibi'],
  id: ['dan', 'yang', 'di', 'ini', 'itu', 'dengan', 'untuk', 'tidak', 'dari', 'dalam', 'akan', 'pada'],
};

const FUNCTION_WORD_INDEX: ReadonlyMap<string, readonly string[]> = (() => {
  const index = new Map<string, string[]>();
  for (const [tag, words] of Object.entries(FUNCTION_WORDS)) {
    for (const word of words) index.set(word, [...(index.get(word) ?? []), tag]);
  }
  return index;
})();

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

export function detectLanguage(text: string): string | null {
  const sample = text.slice(0, SAMPLE_CHARS);
  const letters = count(sample, /\p{L}/gu);
  if (letters < MIN_LETTERS) return null;

  const arabicScript = count(sample, /[\u0600-\u06ff]/g);
  if (arabicScript > letters / 2) {
    const persian = count(sample, PERSIAN_LETTERS);
    const arabic = count(sample, ARABIC_LETTERS);
    const urdu = count(sample, URDU_LETTERS);
    if (urdu > persian && urdu > arabic) return 'ur';
    return persian > arabic ? 'fa' : 'ar';
  }
  if (count(sample, /[\u0400-\u04ff]/g) > letters / 2) {
    return /[\u0454\u0456\u0457\u0491]/.test(sample) ? 'uk' : 'ru';
  }
  for (const { pattern, tag } of SCRIPT_LANGUAGES) {
    if (count(sample, pattern) > letters / 4) return tag;
  }
  const latin = count(sample, /[A-Za-z\u00c0-\u024f]/g);
  if (latin < letters / 2) return null;

  const votes = new Map<string, number>();
  for (const word of sample.toLowerCase().match(/\p{L}+/gu) ?? []) {
    for (const tag of FUNCTION_WORD_INDEX.get(word) ?? []) votes.set(tag, (votes.get(tag) ?? 0) + 1);
  }
  let best: string | null = null;
  let bestVotes = 0;
  for (const [tag, n] of votes) {
    if (n > bestVotes) {
      best = tag;
      bestVotes = n;
    }
  }
  return bestVotes >= 3 ? best : null;
}

/** A declared language ("en_US", "EN-us", "fa-IR") in BCP 47 case: "en-US", "fa-IR"; null if malformed. */
export function normalizeLanguageTag(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  const parts = raw.trim().replace(/_/g, '-').split(/[\s,;]+/)[0]?.split('-') ?? [];
  const primary = parts[0]?.toLowerCase() ?? '';
  if (!/^[a-z]{2,3}$/.test(primary)) return null;
  const rest = parts.slice(1).map((part) => {
    if (/^[a-z]{2}$/i.test(part)) return part.toUpperCase();
    if (/^[a-z]{4}$/i.test(part)) return part[0]!.toUpperCase() + part.slice(1).toLowerCase();
    return part.toLowerCase();
  });
  return [primary, ...rest].join('-');
}
