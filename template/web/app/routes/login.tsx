// Log in, then go back to the page that asked for it (`?next=`).
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useSearchParams } from "react-router";
import { accountReadAccountQueryKey, authLogInMutation } from "~/client/@tanstack/react-query.gen";
import { zCredentials } from "~/client/zod.gen";
import { AuthPage } from "~/components/auth-page";
import { FormField } from "~/components/form-field";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { formValues, useApiForm } from "~/lib/forms";
import { nextPath } from "~/lib/session";
import { projectName } from "~/project";

export function meta() {
  return [{ title: `Log in · ${projectName}` }];
}

export default function LoginPage() {
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const queryClient = useQueryClient();
  const logIn = useMutation(authLogInMutation());
  const form = useApiForm(zCredentials, async (body) => {
    const user = await logIn.mutateAsync({ body });
    queryClient.clear(); // nothing cached for a previous session survives a log-in
    queryClient.setQueryData(accountReadAccountQueryKey(), user);
    await navigate(nextPath(searchParams.get("next")), { replace: true });
  });
  const signupLink = `/signup${searchParams.size ? `?${searchParams}` : ""}`;

  return (
    <AuthPage
      title="Log in"
      footer={
        <>
          <p>
            No account yet?{" "}
            <Link to={signupLink} className="underline">
              Sign up
            </Link>
          </p>
          <p>
            <Link to="/forgot-password" className="underline">
              Forgot your password?
            </Link>
          </p>
        </>
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
          autoComplete="current-password"
          error={form.errors.password}
        />
        <Button type="submit" disabled={form.submitting}>
          {form.submitting ? "Logging in…" : "Log in"}
        </Button>
      </form>
    </AuthPage>
  );
}
