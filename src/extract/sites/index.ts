/**
 * Site profiles: the type, the built-in profiles, and the lookup by host. The profile file's
 * validation is in profile-file.ts, imported only by what reads one.
 */
import { BUILTIN_PROFILES } from './builtin.ts';
import { type SiteProfile, profileMatchesHost } from './profile.ts';

export { BUILTIN_PROFILES, THEIRANPROJECT_PROFILE } from './builtin.ts';
export { type SiteProfile, profileMatchesHost } from './profile.ts';

/** The profile for a site: the user's profiles first, then the built-in ones; null when none applies. */
export function findProfile(site: string | null, userProfiles: readonly SiteProfile[] = []): SiteProfile | null {
  if (site === null || site === '') return null;
  for (const profile of userProfiles) if (profileMatchesHost(profile, site)) return profile;
  for (const profile of BUILTIN_PROFILES) if (profileMatchesHost(profile, site)) return profile;
  return null;
}
