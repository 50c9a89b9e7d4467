// The frame of the pages around logging in: a narrow card with a heading and links underneath.
import type * as React from "react";
import { Card } from "~/components/ui/card";

export function AuthPage({
  title,
  children,
  footer,
}: {
  title: string;
  children: React.ReactNode;
  footer?: React.ReactNode;
}) {
  return (
    <section className="mx-auto grid w-full grid-cols-1 max-w-sm gap-6">
      <h1 className="text-2xl font-semibold">{title}</h1>
      <Card className="grid grid-cols-1 gap-5">{children}</Card>
      {footer && (
        <div className="grid grid-cols-1 gap-1 text-sm text-muted-foreground">{footer}</div>
      )}
    </section>
  );
}
