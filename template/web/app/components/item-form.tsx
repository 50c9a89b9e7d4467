// The create/edit form of an item: checked against the API's ItemCreate schema, shows the server's errors.
import { useState } from "react";
import { zItemCreate } from "~/client/zod.gen";
import { ApiForm, SubmitButton } from "~/components/api-form";
import { FormField } from "~/components/form-field";
import { Label } from "~/components/ui/label";
import { useApiForm } from "~/lib/forms";

export type ItemFormValues = { title: string; description: string; done: boolean };

type ItemFormProps = {
  initialValues?: ItemFormValues;
  submitLabel: string;
  onSubmit: (values: ItemFormValues) => Promise<unknown>;
};

const EMPTY: ItemFormValues = { title: "", description: "", done: false };

export function ItemForm({ initialValues = EMPTY, submitLabel, onSubmit }: ItemFormProps) {
  const [values, setValues] = useState(initialValues);
  // Create and update take the same fields; the form always sends all of them, so ItemCreate's rules apply.
  const form = useApiForm(zItemCreate, onSubmit);

  return (
    <ApiForm state={form} values={() => ({ ...values, title: values.title.trim() })}>
      <FormField
        name="title"
        label="Title"
        value={values.title}
        onChange={(event) => setValues({ ...values, title: event.target.value })}
        error={form.errors.title}
      />
      <FormField
        multiline
        name="description"
        label="Description"
        value={values.description}
        onChange={(event) => setValues({ ...values, description: event.target.value })}
        error={form.errors.description}
      />
      <div className="flex items-center gap-2">
        <input
          id="done"
          name="done"
          type="checkbox"
          className="size-4 accent-primary"
          checked={values.done}
          onChange={(event) => setValues({ ...values, done: event.target.checked })}
        />
        <Label htmlFor="done">Done</Label>
      </div>
      <div>
        <SubmitButton state={form} busy="Saving…">
          {submitLabel}
        </SubmitButton>
      </div>
    </ApiForm>
  );
}
