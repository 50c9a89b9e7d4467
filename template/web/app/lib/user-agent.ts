// A session's browser as people name it ("Chrome on Linux"), read from its User-Agent header.
import Bowser from "bowser";

/** "Chrome on Linux", "Safari on iOS"; the raw header when neither part is known. */
export function deviceName(userAgent: string | null): string {
  if (!userAgent) return "Unknown browser";
  const { browser, os } = Bowser.parse(userAgent);
  if (!browser.name && !os.name) return userAgent;
  return `${browser.name ?? "Unknown browser"} on ${os.name ?? "an unknown system"}`;
}
