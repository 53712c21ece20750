/**
 * Profiles shipped with the extractor. Users' profiles (config SITE_PROFILES_PATH) are consulted
 * before these, so a user can override any of them by host. Each is written out whole (what the
 * profile file's validation would return: a test checks that it does), so loading them needs no
 * validator.
 */
import type { SiteProfile } from './profile.ts';

/**
 * The Iran Project: an English news site in Tehran. Dates are printed in Tehran local time
 * ("Tuesday 25 July 2017 - 22:43"), the story code sits beside the date ("Story Code : 269797"),
 * and the page's own address is printed under the body.
 */
export const THEIRANPROJECT_PROFILE: SiteProfile = {
  name: 'theiranproject.com',
  version: 1,
  hosts: ['theiranproject.com', '*.theiranproject.com'],
  selectors: {
    body: ['.news_body_con .body', '.news_body_con .lead + .body', '.body'],
    title: ['.news_body_con h1.title', 'h1.title'],
    date: ['.news_date_box .en_date', '.en_date'],
    storyCode: ['.news_date_box .news_code', '.news_code'],
    author: [],
  },
  remove: ['.news_toolbar', '.news_source', '.news_path', '.send_friend', '.date_today'],
  boilerplatePatterns: [],
  timeZone: 'Asia/Tehran',
  dayFirst: true,
  storyCodePattern: 'Story\\s*Code\\s*:?\\s*([0-9۰-۹]+)',
  language: 'en',
};

export const BUILTIN_PROFILES: readonly SiteProfile[] = [THEIRANPROJECT_PROFILE];
