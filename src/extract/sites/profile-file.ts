/**
 * The site-profile file (config SITE_PROFILES_PATH): its schema and validation. The shape itself
 * is {@link SiteProfile} (profile.ts); this module fills in the defaults and names each bad
 * field. Only the commands that read a profile file load it (and zod with it), never the
 * extractor or its threads.
 */
import { load } from 'cheerio/slim';
import { z } from 'zod';
import type { SiteProfile } from './profile.ts';

function compiles(kind: 'selector' | 'pattern', source: string): boolean {
  try {
    if (kind === 'pattern') new RegExp(source, 'iu');
    else load('<p></p>', { xml: { xmlMode: false } })(source);
    return true;
  } catch {
    return false;
  }
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const selector = z.string().min(1).refine((s) => compiles('selector', s), { message: 'not a valid CSS selector' });
const pattern = z.string().min(1).refine((s) => compiles('pattern', s), { message: 'not a valid regular expression' });
const selectorList = z.array(selector).default([]);

/** Host patterns: "example.com" (that host and its www.), "*.example.com" (any subdomain, and the bare domain). */
const hostPattern = z
  .string()
  .min(1)
  .regex(/^(?:\*\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*$/i, { message: 'a host name, optionally starting with "*."' });

export const siteProfileSchema = z
  .object({
    /** Unique name, used in the article's `extractor` ("profile:<name>@<version>"). */
    name: z.string().min(1),
    /** Bumped when the profile's output changes, so re-crawls can tell. */
    version: z.number().int().positive().default(1),
    hosts: z.array(hostPattern).min(1),
    selectors: z
      .object({
        body: selectorList,
        title: selectorList,
        date: selectorList,
        storyCode: selectorList,
        author: selectorList,
      })
      .strict()
      .default({ body: [], title: [], date: [], storyCode: [], author: [] }),
    /** Elements removed before the body is looked for. */
    remove: selectorList,
    /** Regular expressions (case-insensitive) of whole paragraphs that are furniture on this site. */
    boilerplatePatterns: z.array(pattern).default([]),
    /** IANA time zone of the site's printed dates ("Asia/Tehran"). */
    timeZone: z.string().refine(isTimeZone, { message: 'not an IANA time zone' }).nullable().default(null),
    /** Whether the site writes numeric dates day first (03/04/2019 = 3 April). */
    dayFirst: z.boolean().nullable().default(null),
    /** Regular expression of the story code; its first capture group (or the match) is the code. */
    storyCodePattern: pattern.nullable().default(null),
    /** The site's language when its pages do not declare one (BCP 47). */
    language: z.string().regex(/^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/).nullable().default(null),
  })
  .strict();

// The schema's output is the profile's shape, field for field: a change to one without the other
// fails to compile here.
type SameShape<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesProfile: SameShape<z.output<typeof siteProfileSchema>, SiteProfile> = true;
void schemaMatchesProfile;

/** What a user writes: every field but name and hosts may be left out. */
export type SiteProfileInput = z.input<typeof siteProfileSchema>;

const profileFileSchema = z.union([z.array(siteProfileSchema), z.object({ profiles: z.array(siteProfileSchema) }).strict()]);

/** Thrown when a profile file does not validate; the message names each bad field. */
export class SiteProfileError extends Error {
  override name = 'SiteProfileError';
}

function pathOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out === '' ? String(key) : `.${String(key)}`;
  return out === '' ? '(root)' : out;
}

/**
 * Validates a parsed profile file (an array of profiles or `{ "profiles": [...] }`) and returns
 * the profiles with defaults filled in. Throws {@link SiteProfileError} naming the bad field
 * ("site profiles: [0].timeZone: not an IANA time zone").
 */
export function parseSiteProfiles(json: unknown): SiteProfile[] {
  const isArray = Array.isArray(json);
  const result = isArray ? z.array(siteProfileSchema).safeParse(json) : profileFileSchema.safeParse(json);
  if (!result.success) {
    const issues = (isArray ? result.error.issues : flattenUnionIssues(result.error.issues))
      .slice(0, 5)
      .map((issue) => `${pathOf(issue.path)}: ${issue.message}`);
    throw new SiteProfileError(`site profiles: ${issues.join('; ')}`);
  }
  const data = result.data;
  const profiles = Array.isArray(data) ? data : data.profiles;
  const names = new Set<string>();
  for (const [i, profile] of profiles.entries()) {
    if (names.has(profile.name)) throw new SiteProfileError(`site profiles: [${i}].name: duplicate profile name "${profile.name}"`);
    names.add(profile.name);
  }
  return profiles;
}

/** For `{ profiles: [...] }` input, report the object branch's issues rather than "invalid union". */
function flattenUnionIssues(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  const out: z.core.$ZodIssue[] = [];
  for (const issue of issues) {
    if (issue.code === 'invalid_union' && 'errors' in issue && Array.isArray(issue.errors) && issue.errors.length > 1) {
      const objectBranch = issue.errors[1] as z.core.$ZodIssue[];
      out.push(...objectBranch.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] })));
    } else out.push(issue);
  }
  return out;
}

