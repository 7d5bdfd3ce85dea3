import type { Label, Locale } from '@dispatch/domain';
import { addMessages, init, locale } from 'svelte-i18n';
import { derived, get } from 'svelte/store';
import { en } from './en';
import { zh } from './zh';

export { _ } from 'svelte-i18n';

const STORAGE_KEY = 'dispatch.locale';

addMessages('zh', zh);
addMessages('en', en);

/** zh-CN unless the user switched to English on this device (remembered across reloads). */
function initialLocale(): Locale {
  const stored = typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY);
  if (stored === 'en' || stored === 'zh') return stored;
  return 'zh';
}

init({ fallbackLocale: 'zh', initialLocale: initialLocale() });

/** The current locale as the domain's labels know it. */
export const currentLocale = derived(locale, (value): Locale => (value?.startsWith('en') ? 'en' : 'zh'));

/** `$tl(STATUS_LABELS.received)`: a domain label in the current language. */
export const tl = derived(currentLocale, (value) => (label: Label) => label[value]);

/** BCP 47 tag for dates and numbers. */
export const intlLocale = derived(currentLocale, (value) => (value === 'en' ? 'en-GB' : 'zh-CN'));

export function toggleLocale(): void {
  const next: Locale = get(currentLocale) === 'zh' ? 'en' : 'zh';
  locale.set(next);
  localStorage.setItem(STORAGE_KEY, next);
  document.documentElement.lang = next === 'en' ? 'en' : 'zh-CN';
}
