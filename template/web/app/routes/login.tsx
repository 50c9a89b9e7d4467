// Log in, then go back to the page that asked for it (`?next=`).
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useSearchParams } from "react-router";
import { accountReadAccountQueryKey, authLogInMutation } from "~/client/@tanstack/react-query.gen";
import { zCredentials } from "~/client/zod.gen";
import { ApiForm, SubmitButton } from "~/components/api-form";
import { AuthPage } from "~/components/auth-page";
import { CredentialsFields } from "~/components/credentials-fields";
import { useApiForm } from "~/lib/forms";
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
      <ApiForm state={form}>
        <CredentialsFields errors={form.errors} />
        <SubmitButton state={form} busy="Logging in…">
          Log in
        </SubmitButton>
      </ApiForm>
    </AuthPage>
  );
}
