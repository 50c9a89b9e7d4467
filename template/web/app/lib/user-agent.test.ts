import { describe, expect, it } from "vitest";
import { deviceName } from "~/lib/user-agent";

describe("deviceName", () => {
  it.each([
    [
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
      "Chrome on Linux",
    ],
    [
      "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
      "Safari on iOS",
    ],
    [
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
      "Firefox on Windows",
    ],
  ])("names %s as %s", (userAgent, name) => {
    expect(deviceName(userAgent)).toBe(name);
  });

  it("keeps a header it cannot read, and says when there was none", () => {
    expect(deviceName("curl/8.11.1")).toBe("curl/8.11.1");
    expect(deviceName(null)).toBe("Unknown browser");
  });
});
