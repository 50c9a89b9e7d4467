// Card container in the shadcn/ui style.
import type * as React from "react";
import { cn } from "~/lib/utils";

export function Card({ className, ...props }: React.ComponentProps<"div">) {
  return <div className={cn("rounded-lg border bg-white p-6 shadow-sm", className)} {...props} />;
}
