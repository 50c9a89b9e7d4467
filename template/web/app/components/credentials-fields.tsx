// The email and password of the API's Credentials body, for logging in and signing up.
import { FormField } from "~/components/form-field";
import type { FormErrors } from "~/lib/forms";

type CredentialsFieldsProps = {
  errors: FormErrors;
  /** Signing up: the browser offers to generate and save a new password. */
  newPassword?: boolean;
};

export function CredentialsFields({ errors, newPassword = false }: CredentialsFieldsProps) {
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
        hint={newPassword ? "A long phrase you use nowhere else works best." : undefined}
        error={errors.password}
      />
    </>
  );
}
