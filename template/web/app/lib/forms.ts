// Form submission in one shape: check the values against the API's own schema (generated from OpenAPI
// into client/zod.gen.ts, so limits are never copied by hand), send, and map the server's errors back.
import { type FormEvent, useState } from "react";
import type { core, output, ZodObject } from "zod";
import { errorMessage, fieldErrors } from "~/lib/api-errors";

export type FormErrors = Record<string, string>;

/** What `useApiForm` gives a form: its errors, whether it is sending, and `submit(values)`. */
export type ApiFormState = {
  errors: FormErrors;
  formError: string | null;
  submitting: boolean;
  submit: (values: unknown) => Promise<boolean>;
};

function issueMessage(issue: core.$ZodIssue): string {
  switch (issue.code) {
    case "too_small":
      return `Use at least ${issue.minimum} characters.`;
    case "too_big":
      return `Use at most ${issue.maximum} characters.`;
    case "invalid_format":
      return issue.format === "email" ? "Enter a valid email address." : issue.message;
    default:
      return issue.message;
  }
}

/** One message per field for the issues of a failed schema check; an empty field is "required". */
function issuesByField(issues: core.$ZodIssue[], values: unknown): FormErrors {
  const byField: FormErrors = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? "");
    const value = (values as Record<string, unknown> | null)?.[field];
    byField[field] ??= value === "" ? "This field is required." : issueMessage(issue);
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
 * State of a form bound to one API request body: `submit(values)` checks them with `schema` (the
 * request's generated zod schema), calls `send` with the parsed body, and keeps field errors (client
 * check or server 422) and a form-wide message (anything else, or an error for a field not shown).
 */
export function useApiForm<Schema extends ZodObject>(
  schema: Schema,
  send: (body: output<Schema>) => Promise<unknown>,
): ApiFormState {
  const [errors, setErrors] = useState<FormErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  /** Validates and sends `values`; true when the server accepted them. */
  async function submit(values: unknown): Promise<boolean> {
    const parsed = schema.safeParse(values);
    setErrors(parsed.success ? {} : issuesByField(parsed.error.issues, values));
    setFormError(null);
    if (!parsed.success) return false;
    setSubmitting(true);
    try {
      await send(parsed.data);
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
