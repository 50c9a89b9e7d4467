// Create an account: it is logged in at once and a verification link is emailed.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link, useLocation, useNavigate, useSearchParams } from "react-router";
import { accountReadAccountQueryKey, authSignUpMutation } from "~/client/@tanstack/react-query.gen";
import { zCredentials } from "~/client/zod.gen";
import { AuthPage } from "~/components/auth-page";
import { FormField } from "~/components/form-field";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { formValues, useApiForm } from "~/lib/forms";
import { nextPath } from "~/lib/session";
import { projectName } from "~/project";

export function meta() {
  return [{ title: `Sign up · ${projectName}` }];
}

export default function SignupPage() {
  const navigate = useNavigate();
  const deleted = useLocation().state?.deleted === true;
  const [searchParams] = useSearchParams();
  const queryClient = useQueryClient();
  const signUp = useMutation(authSignUpMutation());
  const form = useApiForm(zCredentials, async (body) => {
    const user = await signUp.mutateAsync({ body });
    queryClient.clear();
    queryClient.setQueryData(accountReadAccountQueryKey(), user);
    await navigate(nextPath(searchParams.get("next")), { replace: true });
  });

  return (
    <AuthPage
      title="Sign up"
      footer={
        <p>
          Already have an account?{" "}
          <Link to={`/login${searchParams.size ? `?${searchParams}` : ""}`} className="underline">
            Log in
          </Link>
        </p>
      }
    >
      <form
        noValidate
        className="grid gap-5"
        onSubmit={(event) => {
          event.preventDefault();
          void form.submit(formValues(event));
        }}
      >
        {deleted && <Alert role="status">Your account and its items were deleted.</Alert>}
        {form.formError && <Alert variant="destructive">{form.formError}</Alert>}
        <FormField
          name="email"
          label="Email"
          type="email"
          autoComplete="username"
          error={form.errors.email}
        />
        <FormField
          name="password"
          label="Password"
          type="password"
          autoComplete="new-password"
          hint="A long phrase you use nowhere else works best."
          error={form.errors.password}
        />
        <Button type="submit" disabled={form.submitting}>
          {form.submitting ? "Creating your account…" : "Create account"}
        </Button>
      </form>
    </AuthPage>
  );
}
