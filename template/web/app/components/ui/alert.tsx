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
        variant === "destructive"
          ? "border-destructive/50 bg-destructive/10 text-destructive"
          : "bg-card text-card-foreground",
        className,
      )}
      {...props}
    />
  );
}
