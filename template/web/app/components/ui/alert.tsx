// Inline message box in the shadcn/ui style, announced to screen readers.
import type * as React from "react";
import { cn } from "~/lib/utils";

export function Alert({
  className,
  variant = "default",
  ...props
}: React.ComponentProps<"div"> & { variant?: "default" | "destructive" }) {
  return (
    <div
      role="alert"
      className={cn(
        "rounded-md border px-4 py-3 text-sm",
        variant === "destructive" ? "border-red-300 bg-red-50 text-red-800" : "bg-white",
        className,
      )}
      {...props}
    />
  );
}
