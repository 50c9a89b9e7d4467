// Light, dark, or the system's choice: kept per browser (localStorage), applied as `dark` on <html>.
export const THEMES = ["system", "light", "dark"] as const;
export type Theme = (typeof THEMES)[number];

const STORAGE_KEY = "theme";
const DARK_QUERY = "(prefers-color-scheme: dark)";

/**
 * The document's first script (inline, before the stylesheet paints): the stored theme from the
 * first frame, so a dark page never flashes light. The same rule as `applyTheme`, kept standalone.
 */
export const THEME_SCRIPT = `try{var t=localStorage.getItem("${STORAGE_KEY}");document.documentElement.classList.toggle("dark",t==="dark"||(t!=="light"&&matchMedia("${DARK_QUERY}").matches))}catch(e){}`;

export function storedTheme(): Theme {
  const stored = localStorage.getItem(STORAGE_KEY);
  return THEMES.find((theme) => theme === stored) ?? "system";
}

/** Show `theme` now and remember it for this browser ("system" forgets any choice). */
export function applyTheme(theme: Theme) {
  if (theme === "system") localStorage.removeItem(STORAGE_KEY);
  else localStorage.setItem(STORAGE_KEY, theme);
  const dark = theme === "dark" || (theme === "system" && matchMedia(DARK_QUERY).matches);
  document.documentElement.classList.toggle("dark", dark);
}

/** While the theme follows the system, follow its changes too; returns the unsubscribe. */
export function followSystemTheme(): () => void {
  const query = matchMedia(DARK_QUERY);
  const follow = () => {
    if (storedTheme() === "system") applyTheme("system");
  };
  query.addEventListener("change", follow);
  return () => query.removeEventListener("change", follow);
}
