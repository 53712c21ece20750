/**
 * Language of a text when the page does not declare one: the script decides most cases (Arabic
 * script splits into Persian, Urdu and Arabic by their own letters), common function words
 * decide among Latin-script languages. Returns a BCP 47 primary tag or null when unsure.
 */

/** Fewer letters than this and the guess is not worth making. */
const MIN_LETTERS = 20;
/** Only the start of a long text is read: enough for a stable guess, cheap on 10 MB inputs. */
const SAMPLE_CHARS = 2000;
/** Fewer function-word hits than this and no Latin-script language is named. */
const MIN_FUNCTION_WORD_VOTES = 3;

/** Letters only Persian uses (پ چ ژ گ, Persian yeh and keheh). */
const PERSIAN_LETTERS: ReadonlySet<number> = new Set([0x067e, 0x0686, 0x0698, 0x06af, 0x06cc, 0x06a9]);
/** Letters only Arabic uses (Arabic yeh, kaf, teh marbuta). */
const ARABIC_LETTERS: ReadonlySet<number> = new Set([0x064a, 0x0643, 0x0629]);
/** Letters only Urdu uses (ٹ ڈ ڑ ں ے). */
const URDU_LETTERS: ReadonlySet<number> = new Set([0x0679, 0x0688, 0x0691, 0x06ba, 0x06d2]);
/** Letters only Ukrainian uses among Cyrillic languages (є і ї ґ). */
const UKRAINIAN_LETTERS: ReadonlySet<number> = new Set([0x0454, 0x0456, 0x0457, 0x0491]);

/** Scripts that name a language outright, by code-point range, with the tag they give (Han after kana: Japanese mixes both). */
const SCRIPT_LANGUAGES: readonly { readonly from: number; readonly to: number; readonly tag: string }[] = [
  { from: 0x3040, to: 0x30ff, tag: 'ja' },
  { from: 0xac00, to: 0xd7af, tag: 'ko' },
  { from: 0x4e00, to: 0x9fff, tag: 'zh' },
  { from: 0x0590, to: 0x05ff, tag: 'he' },
  { from: 0x0370, to: 0x03ff, tag: 'el' },
  { from: 0x0900, to: 0x097f, tag: 'hi' },
  { from: 0x0e00, to: 0x0e7f, tag: 'th' },
];

const LETTER = /\p{L}/u;

interface ScriptCounts {
  letters: number;
  latin: number;
  arabicScript: number;
  persian: number;
  arabic: number;
  urdu: number;
  cyrillic: number;
  ukrainian: number;
  byScript: number[];
}

/** One pass over the sample: how many letters of each script and of each telltale set. */
function countScripts(sample: string): ScriptCounts {
  const c: ScriptCounts = { letters: 0, latin: 0, arabicScript: 0, persian: 0, arabic: 0, urdu: 0, cyrillic: 0, ukrainian: 0, byScript: SCRIPT_LANGUAGES.map(() => 0) };
  for (let i = 0; i < sample.length; i++) {
    const code = sample.charCodeAt(i);
    if (code < 0x80) {
      if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122)) {
        c.letters++;
        c.latin++;
      }
      continue;
    }
    if (!LETTER.test(sample[i]!)) continue;
    c.letters++;
    if (code >= 0xc0 && code <= 0x24f) c.latin++;
    else if (code >= 0x0600 && code <= 0x06ff) {
      c.arabicScript++;
      if (PERSIAN_LETTERS.has(code)) c.persian++;
      else if (ARABIC_LETTERS.has(code)) c.arabic++;
      else if (URDU_LETTERS.has(code)) c.urdu++;
    } else if (code >= 0x0400 && code <= 0x04ff) {
      c.cyrillic++;
      if (UKRAINIAN_LETTERS.has(code)) c.ukrainian++;
    } else {
      SCRIPT_LANGUAGES.forEach((script, k) => {
        if (code >= script.from && code <= script.to) c.byScript[k]!++;
      });
    }
  }
  return c;
}

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

export function detectLanguage(text: string): string | null {
  const sample = text.slice(0, SAMPLE_CHARS);
  const c = countScripts(sample);
  if (c.letters < MIN_LETTERS) return null;
  if (c.arabicScript > c.letters / 2) {
    if (c.urdu > c.persian && c.urdu > c.arabic) return 'ur';
    return c.persian > c.arabic ? 'fa' : 'ar';
  }
  if (c.cyrillic > c.letters / 2) return c.ukrainian > 0 ? 'uk' : 'ru';
  for (const [k, script] of SCRIPT_LANGUAGES.entries()) {
    if (c.byScript[k]! > c.letters / 4) return script.tag;
  }
  if (c.latin < c.letters / 2) return null;
  return byFunctionWords(sample);
}

/** The Latin-script language whose function words occur most often, if any occurs at least three times. */
function byFunctionWords(sample: string): string | null {
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
  return bestVotes >= MIN_FUNCTION_WORD_VOTES ? best : null;
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
