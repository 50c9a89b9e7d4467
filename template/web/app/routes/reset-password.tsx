// Choose a new password with the single-use link from the email (`?token=`); every session ends.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useSearchParams } from "react-router";
import { authConfirmPasswordResetMutation } from "~/client/@tanstack/react-query.gen";
import { zPasswordResetConfirmation } from "~/client/zod.gen";
import { ApiForm, SubmitButton } from "~/components/api-form";
import { AuthPage } from "~/components/auth-page";
import { FormField } from "~/components/form-field";
import { useNewPasswordHint } from "~/components/new-password-hint";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { formValues, useApiForm } from "~/lib/forms";
import { projectName } from "~/project";

export function meta() {
  return [{ title: `Choose a new password · ${projectName}` }];
}

export default function ResetPasswordPage() {
  const [searchParams] = useSearchParams();
  const token = searchParams.get("token");
  const queryClient = useQueryClient();
  const [done, setDone] = useState(false);
  const confirm = useMutation(authConfirmPasswordResetMutation());
  const newPasswordHint = useNewPasswordHint();
  const form = useApiForm(zPasswordResetConfirmation, async (body) => {
    await confirm.mutateAsync({ body });
    queryClient.clear(); // the reset ended every session, this browser's too
    setDone(true);
  });

  return (
    <AuthPage
      title="Choose a new password"
      footer={
        // Once the password is changed, the link has done its work: no new one to ask for.
        !done && (
          <p>
            <Link to="/forgot-password" className="underline">
              Ask for a new link
            </Link>
          </p>
        )
      }
    >
      {!token ? (
        <Alert variant="destructive">
          This link is incomplete: open the link from the email again, or ask for a new one.
        </Alert>
      ) : done ? (
        <div role="status" className="grid grid-cols-1 gap-3">
          <p>Your password is changed and every session was logged out.</p>
          <Button asChild>
            <Link to="/login">Log in</Link>
          </Button>
        </div>
      ) : (
        <ApiForm state={form} values={(event) => ({ ...formValues(event), token })}>
          <FormField
            name="new_password"
            label="New password"
            type="password"
            autoComplete="new-password"
            hint={newPasswordHint}
            error={form.errors.new_password}
          />
          <SubmitButton state={form} busy="Saving…">
            Change password
          </SubmitButton>
        </ApiForm>
      )}
    </AuthPage>
  );
}
