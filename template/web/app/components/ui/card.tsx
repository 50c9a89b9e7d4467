// Card container in the shadcn/ui style.
import type * as React from "react";
import { cn } from "~/lib/utils";

export function Card({ className, ...props }: React.ComponentProps<"div">) {
  return (
    <div
      className={cn("rounded-lg border bg-card p-6 text-card-foreground shadow-sm", className)}
      {...props}
    />
  );
}
