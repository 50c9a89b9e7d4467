// The theme menu in the header: System, Light or Dark, remembered by this browser.
import { useEffect, useState } from "react";
import { applyTheme, followSystemTheme, storedTheme, THEMES, type Theme } from "~/lib/theme";

const LABELS: Record<Theme, string> = { system: "System", light: "Light", dark: "Dark" };

export function ThemeSelect() {
  const [theme, setTheme] = useState<Theme>(storedTheme);
  useEffect(followSystemTheme, []);
  return (
    <select
      aria-label="Theme"
      value={theme}
      onChange={(event) => {
        const chosen = THEMES.find((option) => option === event.target.value) ?? "system";
        applyTheme(chosen);
        setTheme(chosen);
      }}
      className="h-8 rounded-md border border-input bg-background px-2 text-sm"
    >
      {THEMES.map((option) => (
        <option key={option} value={option}>
          {LABELS[option]}
        </option>
      ))}
    </select>
  );
}
