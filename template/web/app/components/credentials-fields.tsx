// The email and password of the API's Credentials body, for logging in and signing up.
import { FormField } from "~/components/form-field";
import { useNewPasswordHint } from "~/components/new-password-hint";
import type { FormErrors } from "~/lib/forms";

type CredentialsFieldsProps = {
  errors: FormErrors;
  /** Signing up: the browser offers to generate and save a new password. */
  newPassword?: boolean;
};

export function CredentialsFields({ errors, newPassword = false }: CredentialsFieldsProps) {
  const newPasswordHint = useNewPasswordHint({ enabled: newPassword });
  return (
    <>
      <FormField
        name="email"
        label="Email"
        type="email"
        autoComplete="username"
        error={errors.email}
      />
      <FormField
        name="password"
        label="Password"
        type="password"
        autoComplete={newPassword ? "new-password" : "current-password"}
        hint={newPassword ? newPasswordHint : undefined}
        error={errors.password}
      />
    </>
  );
}
