// The create/edit form of an item: checks what it can on the client, shows the server's field errors.
import { type FormEvent, useState } from "react";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Input } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { Textarea } from "~/components/ui/textarea";
import { errorMessage, fieldErrors } from "~/lib/api-errors";

export type ItemFormValues = { title: string; description: string; done: boolean };

export const TITLE_MAX_LENGTH = 200;

/** Client-side checks; the server validates everything again and its 422 errors are shown too. */
export function validateItem(values: ItemFormValues): Record<string, string> {
  const errors: Record<string, string> = {};
  const title = values.title.trim();
  if (!title) errors.title = "Title is required.";
  else if (title.length > TITLE_MAX_LENGTH)
    errors.title = `Title must be at most ${TITLE_MAX_LENGTH} characters.`;
  return errors;
}

type ItemFormProps = {
  initialValues?: ItemFormValues;
  submitLabel: string;
  onSubmit: (values: ItemFormValues) => Promise<unknown>;
};

const EMPTY: ItemFormValues = { title: "", description: "", done: false };

export function ItemForm({ initialValues = EMPTY, submitLabel, onSubmit }: ItemFormProps) {
  const [values, setValues] = useState(initialValues);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const clientErrors = validateItem(values);
    setErrors(clientErrors);
    setFormError(null);
    if (Object.keys(clientErrors).length > 0) return;
    setSubmitting(true);
    try {
      await onSubmit({ ...values, title: values.title.trim() });
    } catch (error) {
      const serverErrors = fieldErrors(error);
      setErrors(serverErrors);
      // Errors for fields this form has no input for still reach the user.
      const shown = Object.keys(serverErrors).every((field) => field in EMPTY);
      setFormError(Object.keys(serverErrors).length > 0 && shown ? null : errorMessage(error));
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <form onSubmit={handleSubmit} noValidate className="grid gap-5">
      {formError && <Alert variant="destructive">{formError}</Alert>}
      <div className="grid gap-2">
        <Label htmlFor="title">Title</Label>
        <Input
          id="title"
          name="title"
          value={values.title}
          onChange={(event) => setValues({ ...values, title: event.target.value })}
          aria-invalid={errors.title ? true : undefined}
          aria-describedby={errors.title ? "title-error" : undefined}
        />
        <FieldError id="title-error" message={errors.title} />
      </div>
      <div className="grid gap-2">
        <Label htmlFor="description">Description</Label>
        <Textarea
          id="description"
          name="description"
          value={values.description}
          onChange={(event) => setValues({ ...values, description: event.target.value })}
          aria-invalid={errors.description ? true : undefined}
          aria-describedby={errors.description ? "description-error" : undefined}
        />
        <FieldError id="description-error" message={errors.description} />
      </div>
      <div className="flex items-center gap-2">
        <input
          id="done"
          name="done"
          type="checkbox"
          className="size-4"
          checked={values.done}
          onChange={(event) => setValues({ ...values, done: event.target.checked })}
        />
        <Label htmlFor="done">Done</Label>
      </div>
      <div>
        <Button type="submit" disabled={submitting}>
          {submitting ? "Saving…" : submitLabel}
        </Button>
      </div>
    </form>
  );
}

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p id={id} className="text-sm text-red-600">
      {message}
    </p>
  );
}
