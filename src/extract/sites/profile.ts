/**
 * Site profiles: declarative knowledge about one site, layered on top of the generic extractor
 * (never a fork of it). A profile names the hosts it applies to and may give CSS selectors for
 * the body, title, date and story code, extra elements to remove, extra boilerplate line
 * patterns, the site's time zone and its story-code pattern.
 *
 * Users add profiles in a JSON file (config SITE_PROFILES_PATH) with no code change: the file is
 * an array of profiles (or `{ "profiles": [...] }`), validated by `parseSiteProfiles` (profile-file.ts):
 *
 * ```json
 * [{
 *   "name": "example.com",
 *   "hosts": ["example.com", "*.example.com"],
 *   "selectors": { "body": [".story-body"], "title": ["h1.headline"], "date": [".date"], "storyCode": [".code"] },
 *   "remove": [".newsletter-box"],
 *   "boilerplatePatterns": ["^Follow us on"],
 *   "timeZone": "Europe/Paris",
 *   "dayFirst": true,
 *   "storyCodePattern": "Story Code\\s*:\\s*(\\d+)",
 *   "language": "fr"
 * }]
 * ```
 *
 * This module holds the profile's shape and the host match only, with no dependency: the
 * extractor (and every extraction thread) imports it, and the file's validation (zod, in
 * profile-file.ts) is loaded only by the commands that read a profile file.
 */

/** A site profile with every field present (what validation returns; see profile-file.ts for the defaults). */
export interface SiteProfile {
  /** Unique name, used in the article's `extractor` ("profile:<name>@<version>"). */
  name: string;
  /** Bumped when the profile's output changes, so re-crawls can tell. */
  version: number;
  /** Host patterns: "example.com" (that host and its www.), "*.example.com" (any subdomain, and the bare domain). */
  hosts: string[];
  selectors: {
    body: string[];
    title: string[];
    date: string[];
    storyCode: string[];
    author: string[];
  };
  /** Elements removed before the body is looked for. */
  remove: string[];
  /** Regular expressions (case-insensitive) of whole paragraphs that are furniture on this site. */
  boilerplatePatterns: string[];
  /** IANA time zone of the site's printed dates ("Asia/Tehran"). */
  timeZone: string | null;
  /** Whether the site writes numeric dates day first (03/04/2019 = 3 April). */
  dayFirst: boolean | null;
  /** Regular expression of the story code; its first capture group (or the match) is the code. */
  storyCodePattern: string | null;
  /** The site's language when its pages do not declare one (BCP 47). */
  language: string | null;
}

/** Whether a profile applies to a host (lowercased, with or without "www."). */
export function profileMatchesHost(profile: SiteProfile, host: string): boolean {
  const bare = host.toLowerCase().replace(/\.$/, '').replace(/^www\./, '');
  return profile.hosts.some((pattern) => {
    const p = pattern.toLowerCase();
    if (p.startsWith('*.')) {
      const domain = p.slice(2);
      return bare === domain || bare.endsWith(`.${domain}`);
    }
    return bare === p.replace(/^www\./, '');
  });
}
