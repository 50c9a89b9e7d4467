// Change the email address (needs the password); the new address must be verified again.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import {
  accountChangeEmailMutation,
  accountReadAccountQueryKey,
} from "~/client/@tanstack/react-query.gen";
import { zEmailChange } from "~/client/zod.gen";
import { FormField } from "~/components/form-field";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { formValues, useApiForm } from "~/lib/forms";

export function ChangeEmailForm() {
  const queryClient = useQueryClient();
  const [changedTo, setChangedTo] = useState<string | null>(null);
  const change = useMutation(accountChangeEmailMutation());
  const form = useApiForm(zEmailChange, async (body) => {
    const user = await change.mutateAsync({ body });
    queryClient.setQueryData(accountReadAccountQueryKey(), user);
    setChangedTo(user.email);
  });

  return (
    <form
      noValidate
      aria-label="Change email"
      className="grid gap-4"
      onSubmit={(event) => {
        event.preventDefault();
        setChangedTo(null);
        const formElement = event.currentTarget;
        void form.submit(formValues(event)).then((accepted) => accepted && formElement.reset());
      }}
    >
      <h2 className="text-lg font-semibold">Email address</h2>
      {form.formError && <Alert variant="destructive">{form.formError}</Alert>}
      {changedTo && (
        <Alert role="status">
          Your email address is now <strong>{changedTo}</strong>: open the link we sent there to
          verify it.
        </Alert>
      )}
      <FormField
        name="new_email"
        label="New email"
        type="email"
        autoComplete="email"
        error={form.errors.new_email}
      />
      <FormField
        name="current_password"
        label="Password"
        type="password"
        autoComplete="current-password"
        error={form.errors.current_password}
      />
      <div>
        <Button type="submit" disabled={form.submitting}>
          {form.submitting ? "Saving…" : "Change email"}
        </Button>
      </div>
    </form>
  );
}
