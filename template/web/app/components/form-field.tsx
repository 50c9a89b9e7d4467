// A labelled input with its error message underneath, wired for screen readers (aria-invalid/-describedby).
import type * as React from "react";
import { Input } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { Textarea } from "~/components/ui/textarea";

type FormFieldProps = {
  name: string;
  label: string;
  error?: string;
  hint?: string;
} & (
  | ({ multiline?: false } & React.ComponentProps<"input">)
  | ({ multiline: true } & React.ComponentProps<"textarea">)
);

export function FormField({ name, label, error, hint, ...props }: FormFieldProps) {
  const described = [error && `${name}-error`, hint && `${name}-hint`].filter(Boolean).join(" ");
  const shared = {
    id: name,
    name,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": described || undefined,
  };
  return (
    <div className="grid grid-cols-1 gap-2">
      <Label htmlFor={name}>{label}</Label>
      {props.multiline ? (
        <Textarea {...withoutMultiline(props)} {...shared} />
      ) : (
        <Input {...withoutMultiline(props)} {...shared} />
      )}
      {hint && (
        <p id={`${name}-hint`} className="text-sm text-muted-foreground">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${name}-error`} className="text-sm text-destructive">
          {error}
        </p>
      )}
    </div>
  );
}

function withoutMultiline<T extends { multiline?: boolean }>({ multiline: _, ...rest }: T) {
  return rest;
}
