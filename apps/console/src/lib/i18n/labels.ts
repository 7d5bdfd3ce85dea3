import type { Label, Locale } from '@dispatch/domain';

/** zh-CN by default; the English switch arrives with the four screens. */
let locale: Locale = 'zh';

export function t(label: Label): string {
  return label[locale];
}

export function setLocale(next: Locale): void {
  locale = next;
}
