// Change the password with the current one; the server logs out every other session.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import {
  accountChangePasswordMutation,
  accountListSessionsQueryKey,
} from "~/client/@tanstack/react-query.gen";
import { zPasswordChange } from "~/client/zod.gen";
import { ApiForm, SubmitButton } from "~/components/api-form";
import { FormField } from "~/components/form-field";
import { useNewPasswordHint } from "~/components/new-password-hint";
import { Alert } from "~/components/ui/alert";
import { useApiForm } from "~/lib/forms";

export function ChangePasswordForm() {
  const queryClient = useQueryClient();
  const [changed, setChanged] = useState(false);
  const change = useMutation(accountChangePasswordMutation());
  const newPasswordHint = useNewPasswordHint();
  const form = useApiForm(zPasswordChange, async (body) => {
    setChanged(false);
    await change.mutateAsync({ body });
    await queryClient.invalidateQueries({ queryKey: accountListSessionsQueryKey() });
    setChanged(true);
  });

  return (
    <ApiForm
      state={form}
      resetWhenAccepted
      aria-label="Change password"
      className="grid grid-cols-1 gap-4"
      header={<h2 className="text-lg font-semibold">Password</h2>}
    >
      {changed && (
        <Alert role="status">Your password is changed; your other sessions were logged out.</Alert>
      )}
      <FormField
        name="current_password"
        label="Current password"
        type="password"
        autoComplete="current-password"
        error={form.errors.current_password}
      />
      <FormField
        name="new_password"
        label="New password"
        type="password"
        autoComplete="new-password"
        hint={newPasswordHint}
        error={form.errors.new_password}
      />
      <div>
        <SubmitButton state={form} busy="Saving…">
          Change password
        </SubmitButton>
      </div>
    </ApiForm>
  );
}
