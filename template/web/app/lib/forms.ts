// Form submission in one shape: check the values against the API's own schema (generated from OpenAPI
// into client/zod.gen.ts, so limits are never copied by hand), send, and map the server's errors back.
import { type FormEvent, useState } from "react";
import type { core, ZodObject } from "zod";
import { errorMessage, fieldErrors } from "~/lib/api-errors";

export type FormErrors = Record<string, string>;

function issueMessage(issue: core.$ZodIssue): string {
  switch (issue.code) {
    case "too_small":
      return issue.origin === "string" && Number(issue.minimum) <= 1
        ? "This field is required."
        : `Use at least ${issue.minimum} characters.`;
    case "too_big":
      return `Use at most ${issue.maximum} characters.`;
    case "invalid_format":
      return issue.format === "email" ? "Enter a valid email address." : issue.message;
    default:
      return issue.message;
  }
}

/** One message per field for values the schema rejects (empty when they pass). */
export function schemaErrors(schema: ZodObject, values: unknown): FormErrors {
  const result = schema.safeParse(values);
  const byField: FormErrors = {};
  if (result.success) return byField;
  for (const issue of result.error.issues) {
    byField[String(issue.path[0] ?? "")] ??= issueMessage(issue);
  }
  return byField;
}

/** The text inputs of a submitted form as an object of strings (checkboxes and files are not read). */
export function formValues(event: FormEvent<HTMLFormElement>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of new FormData(event.currentTarget)) {
    if (typeof value === "string") values[name] = value;
  }
  return values;
}

/**
 * State of a form bound to one API request body: `submit(values)` validates them with `schema`,
 * calls `send`, and keeps field errors (client or server 422) and a form-wide message (anything else,
 * or a field error for a field the form does not show).
 */
export function useApiForm<Body>(schema: ZodObject, send: (body: Body) => Promise<unknown>) {
  const [errors, setErrors] = useState<FormErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  async function submit(values: Body): Promise<boolean> {
    const clientErrors = schemaErrors(schema, values);
    setErrors(clientErrors);
    setFormError(null);
    if (Object.keys(clientErrors).length > 0) return false;
    setSubmitting(true);
    try {
      await send(values);
      return true;
    } catch (error) {
      const serverErrors = fieldErrors(error);
      setErrors(serverErrors);
      const allShown =
        Object.keys(serverErrors).length > 0 &&
        Object.keys(serverErrors).every((field) => field in schema.shape);
      setFormError(allShown ? null : errorMessage(error));
      return false;
    } finally {
      setSubmitting(false);
    }
  }

  return { errors, formError, submitting, submit };
}
