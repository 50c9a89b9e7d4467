// Ask for a password-reset link; the answer is the same whether or not the address has an account.
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { authRequestPasswordResetMutation } from "~/client/@tanstack/react-query.gen";
import { zPasswordResetRequest } from "~/client/zod.gen";
import { ApiForm, SubmitButton } from "~/components/api-form";
import { AuthPage } from "~/components/auth-page";
import { FormField } from "~/components/form-field";
import { useApiForm } from "~/lib/forms";
import { projectName } from "~/project";

export function meta() {
  return [{ title: `Forgot password · ${projectName}` }];
}

export default function ForgotPasswordPage() {
  const [sentTo, setSentTo] = useState<string | null>(null);
  const request = useMutation(authRequestPasswordResetMutation());
  const form = useApiForm(zPasswordResetRequest, async (body) => {
    await request.mutateAsync({ body });
    setSentTo(body.email);
  });

  return (
    <AuthPage
      title="Forgot your password?"
      footer={
        <p>
          Remembered it?{" "}
          <Link to="/login" className="underline">
            Log in
          </Link>
        </p>
      }
    >
      {sentTo ? (
        <p role="status">
          If an account exists for <strong>{sentTo}</strong>, we sent it a link to choose a new
          password. The link works once and expires soon.
        </p>
      ) : (
        <ApiForm state={form}>
          <p className="text-sm text-muted-foreground">
            Enter the email address of your account and we will send you a link to choose a new
            password.
          </p>
          <FormField
            name="email"
            label="Email"
            type="email"
            autoComplete="username"
            error={form.errors.email}
          />
          <SubmitButton state={form} busy="Sending…">
            Send the link
          </SubmitButton>
        </ApiForm>
      )}
    </AuthPage>
  );
}
