import { type Locale, type MessageKey, translate } from "../i18n/messages";

const STORAGE_KEY = "gridledger.locale";

function stored(): Locale | undefined {
  try {
    const value = globalThis.localStorage?.getItem(STORAGE_KEY);
    return value === "ru" || value === "en" ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The interface language: Russian by default, the visitor's choice remembered in localStorage. */
class LocaleState {
  /** The current language. */
  current: Locale = $state(stored() ?? "ru");
  /** Whether the visitor chose a language here (then it wins over the profile's). */
  chosen = $state(stored() !== undefined);

  set(locale: Locale, remember = true) {
    this.current = locale;
    if (typeof document !== "undefined") document.documentElement.lang = locale;
    if (!remember) return;
    this.chosen = true;
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, locale);
    } catch {
      // private mode: the choice lasts for this page only
    }
  }
}

export const locale = new LocaleState();
if (typeof document !== "undefined") document.documentElement.lang = locale.current;

/** Text of `key` in the current language (reactive: re-renders when the language changes). */
export function t(key: MessageKey, values?: Record<string, string | number>): string {
  return translate(locale.current, key, values);
}
