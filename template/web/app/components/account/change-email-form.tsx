// Change the email address (needs the password); the new address must be verified again.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import {
  accountChangeEmailMutation,
  accountReadAccountQueryKey,
} from "~/client/@tanstack/react-query.gen";
import { zEmailChange } from "~/client/zod.gen";
import { ApiForm, SubmitButton } from "~/components/api-form";
import { FormField } from "~/components/form-field";
import { Alert } from "~/components/ui/alert";
import { useApiForm } from "~/lib/forms";

export function ChangeEmailForm() {
  const queryClient = useQueryClient();
  const [changedTo, setChangedTo] = useState<string | null>(null);
  const change = useMutation(accountChangeEmailMutation());
  const form = useApiForm(zEmailChange, async (body) => {
    setChangedTo(null);
    const user = await change.mutateAsync({ body });
    queryClient.setQueryData(accountReadAccountQueryKey(), user);
    setChangedTo(user.email);
  });

  return (
    <ApiForm
      state={form}
      resetWhenAccepted
      aria-label="Change email"
      className="grid grid-cols-1 gap-4"
      header={<h2 className="text-lg font-semibold">Email address</h2>}
    >
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
        <SubmitButton state={form} busy="Saving…">
          Change email
        </SubmitButton>
      </div>
    </ApiForm>
  );
}
