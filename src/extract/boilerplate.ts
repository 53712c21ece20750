/**
 * Boilerplate: every pattern, tag list, score and threshold the extractor tunes, in one place,
 * each with the reason it exists (STYLE.md: "every tuning constant has a name and a why").
 * Defined once here so they are not re-created in loops and there is only one copy of each.
 *
 * The patterns must hold on English, Persian and Arabic pages: text patterns carry the Persian
 * and Arabic forms of the same labels; the European furniture lines carry German, French,
 * Spanish, Italian, Portuguese, Dutch and Polish ones. The vocabulary is our own, written from
 * the pages of the benchmarks (trafilatura, Apache-2.0, keeps comparable lists; none is copied).
 */

// ─── Tags and class/id words: see page/tags.ts and page/chrome.ts ───────────────────────────

/** Inline styles that hide an element: what a reader never sees is not the article. */
export const HIDDEN_STYLE = /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)/i;

/** Chrome holding at least this share of the page's prose (and more than {@link CHROME_MAX_PROSE_PARAGRAPHS} paragraphs) is the page, and stays. */
export const CHROME_MAX_PROSE_SHARE = 0.5;

/** A chrome element (nav, header, form, …) holding more prose paragraphs than this is the page, not chrome (ASP.NET wraps everything in one <form>). */
export const CHROME_MAX_PROSE_PARAGRAPHS = 2;
/**
 * …and with one or two prose paragraphs, when it holds this share of the page's prose: short
 * pages wrapped in a "no-sidebar" or "cb-sidebar-right" layout box, whose one paragraph is the
 * page. Higher than {@link CHROME_MAX_PROSE_SHARE}, since a cookie notice is one paragraph too.
 */
export const CHROME_FEW_PARAGRAPHS_PROSE_SHARE = 0.6;
/** An element that only weak chrome words mark (no strong word, no chrome tag) stays when it holds a prose paragraph and at most this share of links. */
export const WEAK_CHROME_MAX_LINK_DENSITY = 0.3;
/** …or this much text with as few links, in whatever markup (a blog post's <br>-separated text inside Blogger's "date-outer"): no date, toolbar or tag line is that long. */
export const WEAK_CHROME_MIN_TEXT_CHARS = 400;

/** Added to a candidate whose class/id looks like content (Readability uses ±25 as well). */
export const CLASS_WEIGHT_POSITIVE = 25;
/** Subtracted from a candidate whose class/id looks like boilerplate. */
export const CLASS_WEIGHT_NEGATIVE = -25;

// ─── Scoring ────────────────────────────────────────────────────────────────────────────────

/** Shorter prose carriers are labels, not paragraphs: they add nothing to an ancestor's score. */
export const MIN_PARAGRAPH_CHARS = 25;
/** One point per this many characters of a paragraph, capped (long paragraphs are not worth unbounded points). */
export const CHARS_PER_POINT = 100;
export const MAX_LENGTH_POINTS = 3;
/** Clause separators in several scripts (, ، ， 、 ; ؛) by char code: prose has commas, menus do not. */
export const CLAUSE_SEPARATOR_CODES: ReadonlySet<number> = new Set([0x2c, 0x060c, 0xff0c, 0x3001, 0x3b, 0x061b]);
/** How many ancestor levels a paragraph's score reaches, and how it is divided on the way up (Readability's rule: parent 1, grandparent 1/2, then 1/(3·level)). */
export const SCORE_ANCESTOR_LEVELS = 5;
/** Initial scores by tag: containers that usually wrap articles start ahead, lists and headings behind. */
export const TAG_INITIAL_SCORE: Readonly<Record<string, number>> = {
  div: 5, article: 8, main: 5, section: 3, pre: 3, td: 3, blockquote: 3,
  address: -3, ol: -3, ul: -3, dl: -3, dd: -3, dt: -3, li: -3, form: -3,
  h1: -5, h2: -5, h3: -5, h4: -5, h5: -5, h6: -5, th: -5,
};
/** A sibling of the chosen container joins the body when its score reaches this share of the winner's. */
export const SIBLING_SCORE_SHARE = 0.2;
/** …and in any case when it scores at least this much. */
export const SIBLING_MIN_SCORE = 10;
/** A sibling paragraph joins the body when it is this long and barely linked (Readability's rule). */
export const SIBLING_PARAGRAPH_MIN_CHARS = 80;
export const SIBLING_PARAGRAPH_MAX_LINK_DENSITY = 0.25;
/**
 * A sibling that received no score (its paragraphs sit deeper than {@link SCORE_ANCESTOR_LEVELS}
 * wrappers) joins the body when it holds at least this many prose paragraphs, this share of the
 * winner's prose, and few links: articles split into sections by figures or ads.
 */
export const SIBLING_MIN_PROSE_PARAGRAPHS = 2;
export const SIBLING_MIN_PROSE_SHARE = 0.25;
export const SIBLING_PROSE_MAX_LINK_DENSITY = 0.2;
/** A sibling whose text is at least this share prose paragraphs (and few links) joins the body whatever it scores: a lead or text block in a box of its own. */
export const SIBLING_PROSE_BLOCK_SHARE = 0.7;
/** When this many other candidates score within {@link ALTERNATIVE_CANDIDATE_SHARE} of the winner and share an ancestor, the ancestor is the body (articles split into several blocks). */
export const MIN_ALTERNATIVE_CANDIDATES = 3;
export const ALTERNATIVE_CANDIDATE_SHARE = 0.75;
/** The body climbs to an ancestor holding this much more prose than the winner (as a share of the winner's: the rest of an article split over blocks; 0.35–1.0 all help on the segments benchmark, 0.5 is the middle)… */
export const CLIMB_MIN_PROSE_GAIN = 0.5;
/** …unless that ancestor's text is more than this share links (a page region with menus and teasers; at 0.25 the news benchmark starts taking in link lists). */
export const CLIMB_MAX_LINK_DENSITY = 0.2;
/** How many top candidates are remembered for that check. */
export const TOP_CANDIDATES = 5;

// ─── Pruning inside the body ────────────────────────────────────────────────────────────────

/** A block inside the body whose text is mostly link text is a link list (related, tags, more). */
export const MAX_BLOCK_LINK_DENSITY = 0.5;
/** …except long paragraphs, which may legitimately link much of their text… */
export const LINK_LIST_MAX_CHARS = 400;
/** …unless nearly all of it is links: then it is a link list however long. */
export const LINK_LIST_DENSITY = 0.8;

/** A heading whose text is at least this share links is a teaser's headline, not a subhead. */
export const LINKED_HEADING_SHARE = 0.8;
/** A block with this many linked headlines is a list of teasers (related, next/previous, more stories). */
export const TEASER_LIST_MIN_HEADINGS = 2;
/** …when it holds no more than this much text per headline (a teaser is a headline and a line or two; an article with two linked subheads has far more). */
export const TEASER_MAX_CHARS_PER_HEADING = 300;
/** …and none of its paragraphs is longer than this (teaser excerpts are a sentence; a wrapper around the article holds real paragraphs). */
export const TEASER_MAX_PARAGRAPH_CHARS = 200;

// ─── Text patterns: lines that are never article text ───────────────────────────────────────

/**
 * Whole lines (paragraphs) that are page furniture, matched after whitespace folding. Each
 * entry has the reason it is there; Persian and Arabic forms sit beside the English ones.
 */
export const BOILERPLATE_LINES: readonly { readonly pattern: RegExp; readonly reason: string }[] = [
  {
    pattern: /^(?:your\s+)?(?:name|e-?mail(?:\s+address)?|comment|message|website|subject)\s*:?\s*\*?$/i,
    reason: 'form labels left by "send to friend" and comment forms ("Your Name", "Your Email Address")',
  },
  {
    pattern: /^(?:نام(?:\s+شما)?|ایمیل(?:\s+شما)?|پست\s+الکترونیک|نظر\s+شما|الاسم|البريد\s+الإلكتروني|التعليق)\s*:?$/,
    reason: 'the same form labels in Persian and Arabic',
  },
  {
    pattern: /^(?:story|news)\s+(?:code|id)\s*[:：]?\s*[\d۰-۹٠-٩]+$/i,
    reason: 'story-code lines ("Story Code : 269797"): the code goes to storyCode, not the text',
  },
  {
    pattern: /^(?:کد\s+(?:خبر|مطلب)|شناسه\s+خبر|رمز\s+الخبر|رقم\s+الخبر)\s*[:：]?\s*[\d۰-۹٠-٩]+$/,
    reason: 'story-code lines in Persian and Arabic ("کد خبر: ۱۲۳")',
  },
  {
    pattern: /^(?:print|send\s+to\s+(?:a\s+)?friends?|e-?mail(?:\s+this)?|share(?:\s+this(?:\s+(?:article|story))?)?(?:\s+on\s+\w+)?|tweet|pin\s+it|whatsapp|facebook|twitter|linkedin|reddit|telegram|copy\s+link|save|bookmark)(?:\s*[|/·•]\s*[^|/·•]{1,30}){0,8}$/i,
    reason: 'print / send-to-friend / share toolbars written as text',
  },
  {
    pattern: /^(?:چاپ|ارسال\s+به\s+دوستان|اشتراک[\s\u200c]*گذاری|طباعة|إرسال\s+لصديق|شارك|مشاركة)(?:\s*[|/·•]\s*[^|/·•]{1,30}){0,8}$/,
    reason: 'the same toolbars in Persian and Arabic',
  },
  {
    pattern: /^(?:tags?|tagged(?:\s+with)?|keywords|topics|related\s+(?:news|articles|stories|topics|posts)|more\s+(?:news|stories)|most\s+(?:read|viewed|popular)|top\s+stories|partner\s+news|you\s+may\s+also\s+like|recommended(?:\s+for\s+you)?)\s*(?::.*)?$/i,
    reason: 'tag and related-link lines ("Tags: Iran, Turkey")',
  },
  {
    pattern: /^(?:برچسب[\s\u200c]*ها|کلمات\s+کلیدی|کلیدواژه[\s\u200c]*ها|الوسوم|كلمات\s+مفتاحية)\s*:.*$/,
    reason: 'tag lines in Persian and Arabic',
  },
  {
    pattern: /^(?:(?:read\s+more|read\s+also|see\s+also|also\s+read|more\s+on\s+this(?:\s+story)?|related(?:\s+(?:article|story|link))?)(?:\s*[:：].{0,160})?|advertisement|sponsored(?:\s+content)?|continue\s+reading|don['’]?t\s+miss|must\s+read|editor['’]?s\s+picks?|trending(?:\s+now)?|popular\s+now|latest\s+news|watch\s+(?:now|more|video)|click\s+here(?:\s+to\s+\w+)?|(?:sign\s+up|subscribe)\b.{0,80})$/i,
    reason: 'in-body promos ("Read more", "Advertisement", "Sign up for our newsletter")',
  },
  {
    pattern: /^(?:بیشتر\s+بخوانید|بخوانید|مطالب\s+مرتبط|اخبار\s+مرتبط|اقرأ\s+أيضا|اقرأ\s+أيضاً|اقرأ\s+المزيد|مواضيع\s+ذات\s+صلة|إعلان)\s*:?.{0,120}$/,
    reason: 'in-body promos in Persian and Arabic',
  },
  {
    pattern: /^(?:advert|advertisement|advertising|anzeige|publicité|publicidad|pubblicità|reklam|تبلیغات|إعلان)$/i,
    reason: 'ad-slot labels ("Advertisement", "Advert", "Anzeige")',
  },
  {
    pattern: /^(?:this\s+(?:slideshow|video|content|feature)\s+requires\s+javascript\.?|please\s+enable\s+javascript.{0,100}|javascript\s+is\s+(?:disabled|required).{0,100})$/i,
    reason: 'placeholders of widgets that need JavaScript',
  },
  {
    pattern: /^\[\w[\w-]*(?:\s[^\]]*)?\].{0,200}\[\/\w[\w-]*\]$/,
    reason: 'unrendered WordPress shortcodes ("[button link=…]Send us…[/button]")',
  },
  {
    pattern: /^(?:\d+\s+)?(?:comments?|responses?|replies|leave\s+a\s+(?:comment|reply)|post\s+a\s+comment|add\s+(?:a\s+)?comment|tell\s+us\s+what\s+you\s+think.{0,20}|join\s+the\s+(?:discussion|conversation)|what\s+do\s+you\s+think\??|نظرات|دیدگاه|التعليقات|أضف\s+تعليق)\s*:?$/i,
    reason: 'comment-section headings',
  },
  {
    pattern: /^(?:like\s+this|share\s+this|like\s+loading\.*|loading\.*|related)\s*:?$/i,
    reason: 'WordPress share and like widgets rendered as text ("Like this:", "Like Loading...")',
  },
  {
    pattern: /^(?:©|\(c\)|copyright\b|all\s+rights\s+reserved).{0,200}$/i,
    reason: 'copyright footers',
  },
  {
    pattern: /^.{0,120}(?:all\s+rights\s+reserved|تمامی\s+حقوق|کلیه\s+حقوق|جميع\s+الحقوق\s+محفوظة).{0,120}$/i,
    reason: 'copyright footers that name the publisher first',
  },
  {
    pattern: /^(?:by|written\s+by|posted\s+by|author|reporter|بقلم|نویسنده|خبرنگار)\s*:?\s*[\p{L}.'’ -]{2,60}$/iu,
    reason: 'bylines inside the body container (they go to authors)',
  },
  {
    pattern: /^(?:published|updated|posted|last\s+updated|last\s+modified|date|تاریخ\s+انتشار|تاریخ|نشر|تاريخ\s+النشر)\s*:?\s*[\p{L}\p{N}\s,.:/+-]{4,60}$/iu,
    reason: 'date lines inside the body container (the date goes to publishedAt)',
  },
  {
    pattern: /^(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?,?\s+\d{1,2}\s+\p{L}+\s+\d{4}(?:\s*[-–,|]\s*\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?)?$/iu,
    reason: 'a bare weekday date line ("Tuesday 25 July 2017 - 22:43")',
  },
];

/**
 * Furniture of European-language pages (German, French, Spanish, Italian, Portuguese, Dutch,
 * Polish beside English), matched like {@link BOILERPLATE_LINES}: the segments benchmark (the
 * whole web, mostly German) showed each of these kept under an article.
 */
export const EUROPEAN_BOILERPLATE_LINES: readonly { readonly pattern: RegExp; readonly reason: string }[] = [
  {
    pattern: /^(?:verwandte|ähnliche|passende)\s+(?:beiträge|artikel|themen|nachrichten|posts|rezepte)|^(?:das|dies)\s+könnte\s+(?:sie|dich|euch)\s+(?:auch\s+)?interessieren|^(?:auch|ebenfalls)\s+interessant|^(?:zum\s+)?weiterlesen|^mehr\s+(?:zum\s+thema|zu\s+diesem\s+thema|dazu|aus\s+dem\s+ressort)|^weitere\s+(?:artikel|beiträge|themen|nachrichten|meldungen|news)|^lesen\s+sie\s+(?:auch|mehr)|^lies\s+auch|^passend\s+dazu|^meistgelesen|^empfehlungen(?:\s+(?:aus|der|für)\b.{0,40})?|^(?:articles?|sujets?)\s+(?:similaires|liés|connexes)|^(?:à\s+)?lire\s+(?:aussi|également)|^sur\s+le\s+même\s+(?:sujet|thème)|^vous\s+(?:aimerez|pourriez\s+aimer)\s+aussi|^(?:à\s+)?voir\s+aussi|^(?:artículos|noticias|entradas)\s+relacionad[ao]s|^(?:también\s+)?te\s+puede\s+interesar|^lee\s+también|^ver\s+también|^quizás?\s+te\s+interese|^articoli\s+correlati|^leggi\s+anche|^(?:ti\s+)?potrebbe\s+interessarti|^(?:artigos|notícias)\s+relacionad[ao]s|^(?:leia|veja)\s+também|^gerelateerde\s+artikelen|^lees\s+ook|^ook\s+interessant|^(?:czytaj|zobacz)\s+(?:także|też|również)|^powiązane\s+artykuły|^(?:you\s+(?:may|might)\s+also\s+(?:like|enjoy)|more\s+from\s+.{1,40}|read\s+next|further\s+reading|keep\s+reading|related\s+content|also\s+of\s+interest)/iu,
    reason: 'related-content headings ("Verwandte Beiträge", "Das könnte Sie auch interessieren", "À lire aussi", "You may also like")',
  },
  {
    pattern: /^mehr\s+(?:zu|zum|zur|über)\s+[^.!?]{1,50}$/iu,
    reason: 'a "Mehr zu Klima und Konsum" link heading (German "more on …")',
  },
  {
    pattern: /^(?:über\s+(?:den\s+autor|die\s+autorin|die\s+autoren|uns)|about\s+the\s+authors?|à\s+propos\s+de\s+l['’]auteur|sobre\s+(?:el|la)\s+autora?|(?:von|autor(?:in)?|autoren|authors?|auteurs?|autore|by|par|por)\s*:)\s*$/iu,
    reason: 'author-box headings and bare byline labels ("Über den Autor", "Von:", "Autoren:")',
  },
  {
    pattern: /^[\s\-–—[(*]*(?:anzeige|werbung|advertisement|publicité|publicidad|pubblicità|reklama|advertentie)[\s\-–—\])*]*$/iu,
    reason: 'ad labels written with dashes or brackets ("- Anzeige -")',
  },
  {
    pattern: /^(?:(?:den\s+)?newsletter\s+(?:abonnieren|bestellen)|(?:jetzt\s+)?(?:kostenlos\s+)?(?:für\s+den\s+newsletter\s+)?(?:anmelden|registrieren|abonnieren)\b|melden\s+sie\s+sich\s+(?:jetzt\s+)?(?:für|zu)\s+(?:unserem|unseren|den)\s+newsletter|(?:abonnez|inscrivez)-vous\b|suscríbete\b|iscriviti\b|subscribe\s+to\b|sign\s+up\s+for\b|get\s+our\s+(?:daily\s+|weekly\s+)?newsletter).{0,160}$/iu,
    reason: 'newsletter and subscription prompts ("Subscribe to our daily newsletter here", "Newsletter abonnieren")',
  },
  {
    pattern: /^(?:(?:your\s+)?e-?mail\s+address\s+will\s+not\s+be\s+published|required\s+fields\s+are\s+marked|comments\s+are\s+(?:moderated|closed)|(?:ihre\s+)?e-?mail-?adresse\s+wird\s+nicht\s+veröffentlicht|erforderliche\s+felder\s+sind|(?:die\s+)?kommentare\s+(?:werden\s+moderiert|sind\s+geschlossen)|kommentarfunktion|bitte\s+(?:registrieren|melden)\s+sie\s+sich\b.{0,40}(?:kommentar|netiquette|regeln)|(?:wir\s+freuen\s+uns\s+über|schreiben\s+sie)\s+(?:ihren|einen)\s+kommentar|votre\s+adresse\s+(?:e-?mail|de\s+messagerie)\s+ne\s+sera\s+pas\s+publiée|les\s+commentaires\s+sont\s+(?:modérés|fermés)|tu\s+dirección\s+de\s+correo\s+electrónico\s+no\s+será\s+publicada|los\s+comentarios\s+están\s+cerrados).{0,200}$/iu,
    reason: 'comment-form and comment-moderation notices ("Your email address will not be published", "Bitte registrieren Sie sich … Netiquette")',
  },
  {
    pattern: /^(?:(?:rezept|artikel|seite|beitrag)\s+drucken|drucken|(?:als\s+)?pdf\s+(?:herunterladen|downloaden)|(?:dieses?\s+\p{L}+\s+)?als\s+pdf\s+herunterladen|download\s+(?:as\s+)?pdf|quellen\s+(?:ausblenden|anzeigen|einblenden)|externer\s+inhalt|(?:hier\s+können\s+sie\s+)?(?:den\s+)?artikel\s+bewerten|rate\s+this\s+(?:article|post|recipe)|(?:war|ist)\s+dieser\s+artikel\s+hilfreich\??|was\s+this\s+(?:article|page)\s+helpful\??|imprimer(?:\s+l['’]article)?|imprimir)\s*[.!:]?$/iu,
    reason: 'page tools written as text ("Rezept drucken", "Dieses Skript als PDF herunterladen", "Quellen ausblenden", "Artikel bewerten")',
  },
  {
    pattern: /^(?:this\s+(?:entry|post|article)\s+was\s+(?:posted|published|filed)\b|(?:dieser|der)\s+(?:beitrag|eintrag|artikel|text)\s+wurde\s+(?:am\s+.{1,60}?\s+)?(?:in\s+.{1,60}?\s+)?(?:veröffentlicht|publiziert|erstellt|geschrieben|abgelegt)\b|(?:cet\s+article|cette\s+entrée)\s+a\s+été\s+publiée?\b|esta\s+entrada\s+fue\s+publicada\b).{0,200}$/iu,
    reason: 'post-meta sentences ("This entry was posted in …", "Der Beitrag wurde am Mittwoch … veröffentlicht")',
  },
  {
    pattern: /^(?:pressekontakt|pressestelle|medienkontakt|kontakt\s+für\s+(?:die\s+)?(?:medien|presse)|press\s+contacts?|media\s+(?:contacts?|enquiries|inquiries)|contacts?\s+presse|contacto\s+de\s+prensa)\s*:?.{0,200}$/iu,
    reason: 'press-office contact blocks ("Pressekontakt:", "Media contact:")',
  },
];

/**
 * Headings after which the rest of the body is furniture when nothing long follows: the
 * related-content, author-box, press-contact and newsletter headings of
 * {@link EUROPEAN_BOILERPLATE_LINES} and the English "Related articles" kind. See
 * {@link TAIL_MAX_PARAGRAPH_CHARS}.
 */
export const END_OF_ARTICLE_HEADINGS: readonly RegExp[] = [
  EUROPEAN_BOILERPLATE_LINES[0]!.pattern,
  EUROPEAN_BOILERPLATE_LINES[2]!.pattern,
  EUROPEAN_BOILERPLATE_LINES[8]!.pattern,
  /^(?:related\s+(?:news|articles|stories|topics|posts)|more\s+(?:news|stories)|you\s+may\s+also\s+like|recommended(?:\s+for\s+you)?|(?:\d+\s+)?comments?|leave\s+a\s+(?:comment|reply)|kommentare|commentaires|comentarios)\s*:?$/iu,
];
/** The tail after an end-of-article heading goes only when none of its paragraphs is longer than this (teasers and link lines are short; more article is not)… */
export const TAIL_MAX_PARAGRAPH_CHARS = 300;
/** …and the heading is not in the first paragraphs of the body (a "Read also" box above the article). */
export const TAIL_MIN_PARAGRAPHS_BEFORE = 2;

/**
 * Paragraphs that are furniture only at the end of the body: a URL printed as text (the page's
 * own address under the article). Inside the body a URL line is content (a list of links).
 */
export const TRAILING_BOILERPLATE_LINES: readonly { readonly pattern: RegExp; readonly reason: string }[] = [
  { pattern: /^(?:(?:source|link|url|منبع|المصدر)\s*:\s*)?(?:https?:\/\/|www\.)\S+$/i, reason: "a URL printed as text under the body (the page's own address)" },
  { pattern: /^[Oo]rt\s*:?\s+[\p{Lu}\d][^.!?]{0,60}$/u, reason: 'an "Ort …" (place) line left under a press release or event notice' },
];

/** A paragraph this short that parses as a date (src/normalize) may be a date line ("November 20, 2019 - 11:28 AMT"), not text. */
export const DATE_LINE_MAX_CHARS = 60;
/** Words of four letters or more, other than months, weekdays and labels, that a date line may hold (a weekday in a language the list lacks, a byline's name). */
export const DATE_LINE_MAX_OTHER_WORDS = 2;
/** Weekdays and labels that sit beside dates (folded: lowercase, accents stripped). */
export const DATE_LINE_WORD =
  /^(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|published|updated|posted|modified|last|date|time|today|yesterday|edited|publie|publicado|publicada|pubblicato|veroffentlicht|aktualisiert|mise|jour|shanbe|یکشنبه|دوشنبه|سه‌شنبه|سهشنبه|چهارشنبه|پنجشنبه|پنج‌شنبه|جمعه|شنبه|تاریخ|انتشار|الاثنین|الثلاثاء|الأربعاء|الخمیس|الجمعة|السبت|الأحد|تاريخ|النشر)$/;

/** Paragraphs shorter than this are tested against {@link BOILERPLATE_LINES}; longer ones are prose. */
export const BOILERPLATE_LINE_MAX_CHARS = 260;

// ─── Credits ────────────────────────────────────────────────────────────────────────────────

/**
 * News agencies whose credit opens a story's first paragraph ("FNA- …", "WASHINGTON (AP) — …").
 * A credit is only ever one of these: the words in capitals before a dash are far more often a
 * dateline's city ("WASHINGTON — Two federal…", "FRANKFURT — …"), which stays in the text. The
 * list names the world's and the regions' wire services (global, European, Asian, Middle-Eastern
 * and Iranian, African, Latin American), spelled as they credit themselves; matched exactly.
 */
export const NEWS_AGENCIES: ReadonlySet<string> = new Set([
  // Global and North American.
  'AP', 'Associated Press', 'AFP', 'Reuters', 'UPI', 'Bloomberg', 'CP', 'The Canadian Press', 'CNS',
  // European.
  'dpa', 'DPA', 'KNA', 'epd', 'EPD', 'ddp', 'AFX', 'APA', 'SDA', 'sda', 'Keystone-SDA', 'ANSA', 'EFE', 'Europa Press',
  'Lusa', 'Belga', 'ANP', 'TT', 'NTB', 'Ritzau', 'STT', 'PAP', 'ČTK', 'CTK', 'TASR', 'MTI', 'HINA', 'Tanjug', 'BTA',
  'Agerpres', 'ANA-MPA', 'AMNA', 'TASS', 'ITAR-TASS', 'RIA', 'RIA Novosti', 'Interfax', 'Ukrinform', 'UNIAN', 'BelTA',
  'PA', 'Press Association', 'ATS', 'Anadolu', 'AA', 'DHA', 'IHA',
  // Asian and Pacific.
  'Xinhua', 'CNA', 'Kyodo', 'Jiji', 'Yonhap', 'KCNA', 'PTI', 'IANS', 'ANI', 'UNI', 'APP', 'BSS', 'Bernama', 'Antara',
  'PNA', 'VNA', 'AAP', 'Kabar', 'Trend', 'APA-Azerbaijan', 'Armenpress', 'KazTAG',
  // Middle East, Iran and North Africa.
  'FNA', 'IRNA', 'ISNA', 'ILNA', 'MNA', 'Mehr', 'Tasnim', 'IRIB', 'IQNA', 'ABNA', 'YJC', 'Fars', 'WAM', 'SPA', 'KUNA',
  'QNA', 'BNA', 'ONA', 'MENA', 'Petra', 'SANA', 'NNA', 'INA', 'WAFA', 'APS', 'MAP', 'TAP', 'LANA',
  'ایرنا', 'ایسنا', 'ایلنا', 'فارس', 'مهر', 'تسنیم', 'ایکنا', 'واس', 'وام', 'كونا', 'قنا', 'بنا', 'سانا', 'وفا', 'واع', 'أ ش أ', 'أ ف ب', 'رويترز',
  // African and Latin American.
  'NAN', 'GNA', 'ENA', 'SAPA', 'ANGOP', 'Prensa Latina', 'Notimex', 'Télam', 'Telam', 'ABI', 'Andina', 'Agência Brasil',
]);

/**
 * A credit in parentheses after an optional dateline place, then a dash: "TEHRAN (FNA)- …",
 * "WASHINGTON (AP) — …", "(Reuters) — …". The dash must be followed by a space so "COVID-19"
 * never matches. The place, when there is one, stays in the text.
 */
export const DATELINE_PAREN_CREDIT =
  /^(?<place>[\p{Lu}][\p{Lu}\p{M} .'’,-]{1,40}?,?\s*)?\((?<credit>[\p{L}][\p{L}&/ .-]{0,24}?)\)\s*(?<dash>[-–—]+)\s+(?=\S)/u;
/**
 * A credit opening the paragraph with a dash glued or spaced: "FNA- High-ranking …", "dpa - …",
 * "ایرنا- …" (Arabic script has no capitals: the agency list decides).
 */
export const DATELINE_LEAD_CREDIT = /^(?<credit>[\p{L}][\p{L}\p{M}&/. -]{0,24}?)\s*[-–—]+\s+(?=\S)/u;

// ─── Metadata ───────────────────────────────────────────────────────────────────────────────

/** Separators between a headline and the site name in <title> ("Headline | Site", "Site - Headline"). */
export const TITLE_SEPARATOR = /\s+[|\-–—:»·•\\/]\s+|\s+::\s+/;
/** A title segment this short (in words) next to a longer one is taken for the site name. */
export const SITE_NAME_MAX_WORDS = 5;

/** JSON-LD types whose node describes the article itself. */
export const ARTICLE_LD_TYPES: ReadonlySet<string> = new Set([
  'article', 'newsarticle', 'reportagenewsarticle', 'analysisnewsarticle', 'opinionnewsarticle',
  'backgroundnewsarticle', 'reviewnewsarticle', 'blogposting', 'liveblogposting', 'scholarlyarticle',
  'techarticle', 'report', 'webpage', 'posting', 'socialmediaposting', 'medicalscholarlyarticle',
]);

/** A JSON-LD articleBody shorter than this is a teaser, not the article. */
export const JSON_LD_BODY_MIN_CHARS = 500;
/** The DOM body must cover this share of the JSON-LD body's words, else the JSON-LD body is used. */
export const JSON_LD_BODY_MIN_COVERAGE = 0.5;

// ─── Limits ─────────────────────────────────────────────────────────────────────────────────

/** Deeper nesting than this is not walked (defends the recursive steps against pathological trees); above {@link MAX_MARKUP_DEPTH} so every parsed node is reached. */
export const MAX_TREE_DEPTH = 2000;
/** Markup nested deeper than this loses its extra tags before parsing (see nesting.ts; Blink caps the DOM at 512). */
export const MAX_MARKUP_DEPTH = 1500;
/**
 * Elements parsed per page; tags beyond the first this many are dropped before parsing, their
 * text kept (see nesting.ts). Parsing and extraction cost grows with the element count (an 8 MB
 * page of 2 million `<br>` took 14 s and 900 MB); the busiest of 1,380 benchmark pages has about
 * 10,000 tags, so real pages keep every element.
 */
export const MAX_MARKUP_ELEMENTS = 30_000;
/** Input beyond this many characters is cut before parsing (a 10 MB page is truncated, not refused). */
export const MAX_HTML_CHARS = 8_000_000;
